using Grpc.AspNetCore.Server;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VerticalFL.Protocol.Channels;
using VerticalFL.Transport.Client;
using VerticalFL.Transport.Security;
using VerticalFL.Transport.Server;

namespace VerticalFL.Transport.Tests.Infrastructure;

/// <summary>A real party server on 127.0.0.1, port 0, with the test echo service, a job table and a log sink.</summary>
internal sealed class TestParty : IAsyncDisposable
{
    private TestParty(PartyServer server, PartyMailbox mailbox, JobTable jobs, EchoProbe probe, LogSink logs)
    {
        Server = server;
        Mailbox = mailbox;
        Jobs = jobs;
        Probe = probe;
        Logs = logs;
    }

    public PartyServer Server { get; }
    public PartyMailbox Mailbox { get; }
    public JobTable Jobs { get; }
    public EchoProbe Probe { get; }
    public LogSink Logs { get; }
    public string PartyId => Server.Options.PartyId;

    /// <param name="extraInterceptor">Runs inside the party's own interceptor (after authorization), e.g. to lose a response.</param>
    public static async Task<TestParty> StartAsync(string partyId, bool insecureDev = false, int maxMessageBytes = 4 * 1024 * 1024,
        Interceptor? extraInterceptor = null, TimeSpan? receiveTimeout = null, FederationKeys.PartyFiles? keyFiles = null,
        PeerCertificateRules? rules = null)
    {
        var keys = keyFiles ?? TestKeys.Of(partyId);
        var options = new PartyServerOptions
        {
            PartyId = partyId,
            CertificatePath = insecureDev ? null : keys.CertificatePath,
            KeyPath = insecureDev ? null : keys.KeyPath,
            CaPath = insecureDev ? null : keys.CaPath,
            InsecureDev = insecureDev,
            MaxMessageBytes = maxMessageBytes,
            ReceiveTimeout = receiveTimeout ?? TimeSpan.FromSeconds(5),
            CertificateRules = rules ?? PeerCertificateRules.None,
        };
        var mailbox = new PartyMailbox(TimeSpan.FromMilliseconds(500));
        var jobs = new JobTable();
        var probe = new EchoProbe();
        var logs = new LogSink();
        var authorizer = new FederationAuthorizer(["guest"], jobs, EchoService.Methods);
        var server = PartyServer.Create(options, mailbox, authorizer, jobs,
            builder =>
            {
                builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
                builder.Services.AddSingleton(probe);
                if (extraInterceptor is not null)
                    builder.Services.Configure<GrpcServiceOptions>(o => o.Interceptors.Add(typeof(InterceptorAdapter), extraInterceptor));
            },
            app => app.MapGrpcService<EchoService>());
        await server.StartAsync().Within();
        return new TestParty(server, mailbox, jobs, probe, logs);
    }

    /// <summary>A client for <paramref name="self"/> that knows this party as a peer.</summary>
    public FederationClient ClientFor(string self, string? keysDir = null, int maxAttempts = 3, TimeSpan? callTimeout = null,
        int? gzipMinBytes = null, LogSink? logs = null, string? peerName = null, FederationKeys.PartyFiles? keyFiles = null,
        PeerCertificateRules? rules = null)
    {
        var keys = keyFiles ?? FederationKeys.For(keysDir ?? TestKeys.Federation, self);
        bool dev = Server.Options.InsecureDev;
        var loggers = LoggerFactory.Create(b => b.AddProvider(logs ?? new LogSink()).SetMinimumLevel(LogLevel.Debug));
        return new FederationClient(new FederationClientOptions
        {
            PartyId = self,
            Peers = new Dictionary<string, Uri> { [peerName ?? PartyId] = Server.GrpcAddress },
            CertificatePath = dev ? null : keys.CertificatePath,
            KeyPath = dev ? null : keys.KeyPath,
            CaPath = dev ? null : keys.CaPath,
            InsecureDev = dev,
            MaxAttempts = maxAttempts,
            InitialBackoff = TimeSpan.FromMilliseconds(20),
            MaxBackoff = TimeSpan.FromMilliseconds(100),
            CallTimeout = callTimeout ?? TimeSpan.FromSeconds(10),
            GzipMinBytes = gzipMinBytes,
            CertificateRules = rules ?? PeerCertificateRules.None,
        }, Server.Metrics, loggers);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await Server.StopAsync(stop.Token).WaitAsync(Await.Limit);
        }
        catch (OperationCanceledException)
        {
            // Calls still running were aborted: fine for a test server.
        }
        await Server.DisposeAsync();
    }

    /// <summary>Lets a ready-made interceptor instance be registered (GrpcServiceOptions wants a type plus arguments).</summary>
    private sealed class InterceptorAdapter(Interceptor inner) : Interceptor
    {
        public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, Grpc.Core.ServerCallContext context,
            Grpc.Core.UnaryServerMethod<TRequest, TResponse> continuation) => inner.UnaryServerHandler(request, context, continuation);
    }
}
