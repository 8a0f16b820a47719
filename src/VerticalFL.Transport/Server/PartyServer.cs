using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VerticalFL.Protocol.Channels;
using VerticalFL.Transport.Metrics;
using VerticalFL.Transport.Security;

namespace VerticalFL.Transport.Server;

/// <summary>
/// One party's gRPC server on Kestrel: HTTP/2 over TLS 1.3 with required client certificates
/// chained to the federation CA, Mailbox (into the given <see cref="PartyMailbox"/>), Health,
/// optionally JobControl, every call authenticated and authorized, and a plain-HTTP <c>/metrics</c>.
/// </summary>
public sealed class PartyServer : IAsyncDisposable
{
    private readonly PartyCredentials? _credentials;
    private ListenOptions? _grpcListen;
    private ListenOptions? _metricsListen;

    private PartyServer(PartyServerOptions options, PartyCredentials? credentials)
    {
        Options = options;
        _credentials = credentials;
        if (credentials is not null)
            Metrics.SetCertificateExpiry(new DateTimeOffset(credentials.Certificate.NotAfter.ToUniversalTime()));
    }

    public PartyServerOptions Options { get; }

    /// <summary>The ASP.NET Core application (for its services and lifetime).</summary>
    public WebApplication App { get; private set; } = null!;

    public PartyHealth Health { get; } = new();

    /// <summary>This party's transport metrics; hand the same instance to the <see cref="Client.FederationClient"/>.</summary>
    public TransportMetrics Metrics { get; } = new();

    /// <summary>The bound gRPC address (port resolved), after <see cref="StartAsync"/>.</summary>
    public Uri GrpcAddress => Address(_grpcListen, Options.InsecureDev ? "http" : "https")
        ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>The bound metrics address after <see cref="StartAsync"/>, or null when metrics are off.</summary>
    public Uri? MetricsAddress => Address(_metricsListen, "http");

    /// <summary>Builds (does not start) a party server.</summary>
    /// <param name="jobControl">Serves vfl.v1.JobControl when given.</param>
    /// <param name="configureBuilder">Adds services, logging or configuration before the app is built.</param>
    /// <param name="configureApp">Maps further gRPC services (<c>app.MapGrpcService&lt;T&gt;()</c>); they pass through the same authorization.</param>
    /// <exception cref="ArgumentException">Options are invalid or the certificate files do not fit them.</exception>
    public static PartyServer Create(
        PartyServerOptions options, PartyMailbox mailbox, IPartyAuthorizer authorizer, IJobControlHandler? jobControl = null,
        Action<WebApplicationBuilder>? configureBuilder = null, Action<WebApplication>? configureApp = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(mailbox);
        ArgumentNullException.ThrowIfNull(authorizer);
        options.Validate();
        var credentials = options.InsecureDev
            ? null
            : PartyCredentials.Load(options.CertificatePath, options.KeyPath, options.CaPath, options.PartyId, options.CertificateRules.SelfRole);
        var server = new PartyServer(options, credentials);
        server.Build(mailbox, authorizer, jobControl, configureBuilder, configureApp);
        return server;
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await App.StartAsync(cancellationToken);
        var logger = App.Services.GetRequiredService<ILoggerFactory>().CreateLogger<PartyServer>();
        if (Options.InsecureDev)
        {
            Console.Error.WriteLine($"WARNING: INSECURE DEV MODE — party '{Options.PartyId}' serves plaintext gRPC on {GrpcAddress} and trusts the '{CallerIdentity.DevPartyHeader}' header. Never use this outside a developer machine.");
            ServerLog.InsecureDev(logger, Options.PartyId, GrpcAddress);
        }
        ServerLog.Listening(logger, Options.PartyId, GrpcAddress, MetricsAddress?.ToString() ?? "(off)");
    }

    /// <summary>Reports NOT_SERVING, then stops; calls still running after the token fires are aborted.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        Health.SetAllNotServing();
        await App.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        _credentials?.Dispose();
    }

    private void Build(PartyMailbox mailbox, IPartyAuthorizer authorizer, IJobControlHandler? jobControl,
        Action<WebApplicationBuilder>? configureBuilder, Action<WebApplication>? configureApp)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.Services.AddSingleton(Options).AddSingleton(mailbox).AddSingleton(authorizer).AddSingleton(Health).AddSingleton(Metrics)
            .AddSingleton(new CallerIdentity(Options.InsecureDev)).AddSingleton<PartyCallInterceptor>();
        if (jobControl is not null)
            builder.Services.AddSingleton(jobControl);
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = Options.MaxMessageBytes;
            grpc.MaxSendMessageSize = Options.MaxMessageBytes;
            grpc.EnableDetailedErrors = false;
            grpc.Interceptors.Add<PartyCallInterceptor>();
        });
        builder.Services.AddOptions<KestrelServerOptions>().Configure<ILoggerFactory>((kestrel, loggers) =>
            ConfigureKestrel(kestrel, loggers.CreateLogger<PartyServer>()));
        configureBuilder?.Invoke(builder);

        App = builder.Build();
        App.Use(ServeMetricsPort);
        App.Use(LiftKestrelBodyCapForGrpc);
        App.MapGrpcService<MailboxService>();
        App.MapGrpcService<HealthService>();
        Health.SetServing("", true);
        Health.SetServing("vfl.v1.Mailbox", true);
        if (jobControl is not null)
        {
            App.MapGrpcService<JobControlService>();
            Health.SetServing("vfl.v1.JobControl", true);
        }
        configureApp?.Invoke(App);
    }

    private void ConfigureKestrel(KestrelServerOptions kestrel, ILogger logger)
    {
        kestrel.AddServerHeader = false;
        // Large ciphertext batches: wide HTTP/2 flow-control windows keep a 1 MiB message from stalling on WINDOW_UPDATEs.
        kestrel.Limits.Http2.InitialConnectionWindowSize = 16 * 1024 * 1024;
        kestrel.Limits.Http2.InitialStreamWindowSize = 8 * 1024 * 1024;
        kestrel.Listen(Options.GrpcEndpoint, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.Use(next => connection =>
            {
                Remote.Value = connection.RemoteEndPoint?.ToString();
                return next(connection);
            });
            if (_credentials is not null)
                listen.UseHttps(Https(_credentials, Options.CertificateRules, logger));
            _grpcListen = listen;
        });
        if (Options.MetricsEndpoint is { } metrics)
            kestrel.Listen(metrics, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                _metricsListen = listen;
            });
    }

    private static HttpsConnectionAdapterOptions Https(PartyCredentials credentials, PeerCertificateRules rules, ILogger logger) => new()
    {
        ServerCertificate = credentials.Certificate,
        SslProtocols = SslProtocols.Tls13,
        ClientCertificateMode = ClientCertificateMode.RequireCertificate,
        CheckCertificateRevocation = false,
        // The OS trust store's verdict is ignored: the federation CA is the only anchor.
        ClientCertificateValidation = (certificate, _, _) =>
        {
            var check = credentials.Trust.CheckClient(certificate);
            string? reason = !check.IsValid ? check.Reason : rules.Problem(check.PartyId!, certificate);
            if (reason is not null)
                ServerLog.ClientCertificateRejected(logger, Remote.Value ?? "(unknown)", reason, certificate.Subject, certificate.Thumbprint);
            return reason is null;
        },
    };

    /// <summary>
    /// The address of the client whose TLS handshake runs in this async flow: the certificate validation has no
    /// connection of its own, so the connection middleware in front of TLS sets it for the rejection log line.
    /// </summary>
    private static readonly AsyncLocal<string?> Remote = new();

    /// <summary>On the metrics port only <c>GET /metrics</c> exists; on the gRPC port it does not.</summary>
    /// <summary>
    /// Kestrel caps every request body at 30,000,000 bytes unless told otherwise, and grpc-dotnet lifts that cap only
    /// for streaming calls: a unary Deliver between 30 MB and <see cref="PartyServerOptions.MaxMessageBytes"/> died in
    /// Kestrel before gRPC read it, and the sender saw "Unknown: Exception was thrown by handler". For gRPC requests
    /// the cap is lifted here too, and gRPC's own check (MaxReceiveMessageSize = MaxMessageBytes, made on each
    /// message's length prefix before its body is read) refuses anything larger with RESOURCE_EXHAUSTED and the
    /// reason. A cap set just above the limit does not do: Kestrel counts the bytes a read has buffered, which can run
    /// past the prefix's message by a flow-control window, and its error then replaces gRPC's.
    /// </summary>
    private static Task LiftKestrelBodyCapForGrpc(HttpContext context, RequestDelegate next)
    {
        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true
            && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = null;
        return next(context);
    }

    private Task ServeMetricsPort(HttpContext context, RequestDelegate next)
    {
        if (_metricsListen?.IPEndPoint is not { } metrics || context.Connection.LocalPort != metrics.Port)
            return next(context);
        if (context.Request.Path != "/metrics" || !HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        return Metrics.WritePrometheusAsync(context.Response.Body, context.RequestAborted);
    }

    /// <summary>The bound address as a URI; a wildcard bind is reported as loopback.</summary>
    private static Uri? Address(ListenOptions? listen, string scheme)
    {
        if (listen?.IPEndPoint is not { Port: > 0 } endpoint)
            return null;
        var address = endpoint.Address;
        string host = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? "127.0.0.1"
            : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]"
            : address.ToString();
        return new Uri($"{scheme}://{host}:{endpoint.Port}");
    }
}
