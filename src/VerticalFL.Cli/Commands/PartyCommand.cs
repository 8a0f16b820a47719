using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using VerticalFL.Arbiter;
using VerticalFL.Guest;
using VerticalFL.Host;
using VerticalFL.Party.Config;
using VerticalFL.Party.Hosting;

namespace VerticalFL.Cli.Commands;

/// <summary><c>vfl party --config FILE</c>: runs one party's service until SIGTERM / Ctrl+C, then shuts down gracefully.</summary>
internal static class PartyCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "The party's YAML config (see deploy/config/)", Required = true };
        var command = new Command("party", "Run a guest, host or arbiter service (the role comes from the config)") { config };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(config)!, ct));
        return command;
    }

    private static async Task<int> RunAsync(string configPath, CancellationToken ct)
    {
        var config = PartyConfig.Load(configPath);
        PrivateFiles.Apply();
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
        await using var node = await StartAsync(config, loggers, stop.Token);
        // The config is read once, at start: a changed file (a new data source, peer or policy) is not reloaded. SIGHUP,
        // which asks daemons to reload, says so instead of ending the party (the default action of SIGHUP).
        var log = loggers.CreateLogger("VerticalFL.Party");
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            log.LogWarning("SIGHUP: {Config} is not reloaded; restart the party to apply a changed config (it keeps running with the config it started with)",
                Path.GetFullPath(configPath));
        });
        Console.WriteLine($"party '{node.Id}' ({config.Party.Role}) serving gRPC on {node.Server.GrpcAddress}" +
                          (node.Server.MetricsAddress is { } m ? $", metrics on {m}metrics" : "") +
                          (node.BoardAddress is { } b ? $", board on {b}" : "") + $"; store {node.Store}");
        Console.WriteLine($"config {Path.GetFullPath(configPath)} read once: a change (data sources, peers, policy) takes effect at the next restart");
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine($"party '{node.Id}' shutting down");
        }
        return ExitCodes.Success;
    }

    /// <summary>Starts the party; a failure to start (port taken, store unreachable, …) becomes one line and exit 2.</summary>
    private static async Task<PartyNode> StartAsync(PartyConfig config, ILoggerFactory loggers, CancellationToken ct)
    {
        try
        {
            return await PartyNode.StartAsync(config, RoleOf(config.Party.Role), loggers, ct);
        }
        catch (Exception e) when (e is not (OperationCanceledException or Ml.Data.BadInputException))
        {
            throw StartupFailure.Describe(config, e);
        }
    }

    internal static IPartyRole RoleOf(string role) => role switch
    {
        Roles.Guest => new GuestRole(),
        Roles.Host => new HostRole(),
        _ => new ArbiterRole(),
    };
}
