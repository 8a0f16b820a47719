using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VerticalFL.Board.Data;
using VerticalFL.Board.Http;
using VerticalFL.Storage;

namespace VerticalFL.Board;

/// <summary>
/// A board on its own plain-HTTP/1.1 Kestrel listener (never the gRPC port, which wants client certificates),
/// reading one party's store. Start it, read <see cref="Address"/>, dispose it to stop.
/// </summary>
public sealed class BoardServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BoardServer(WebApplication app) => _app = app;

    /// <summary>The bound address, e.g. <c>http://127.0.0.1:8080/board</c>.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Checks the options, binds and starts serving.</summary>
    /// <exception cref="ArgumentException">A non-loopback listener without a token, or a blank token.</exception>
    /// <exception cref="IOException">The address is in use.</exception>
    public static async Task<BoardServer> StartAsync(VflStore store, BoardOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        options.Check();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.Endpoint, listen => listen.Protocols = HttpProtocols.Http1);
        });
        var app = builder.Build();
        app.MapBoard(new BoardQueries(store, options.PartyId), options.Token);
        var server = new BoardServer(app);
        await app.StartAsync(cancellationToken);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Address = new Uri(new Uri(bound.Replace("[::]", "localhost", StringComparison.Ordinal)), "/board");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
