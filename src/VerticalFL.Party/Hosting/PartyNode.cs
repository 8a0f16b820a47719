using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using VerticalFL.Board;
using VerticalFL.Ml.Data;
using VerticalFL.Party.Config;
using VerticalFL.Party.Jobs;
using VerticalFL.Protocol.Channels;
using VerticalFL.Storage;
using VerticalFL.Transport.Client;
using VerticalFL.Transport.Security;
using VerticalFL.Transport.Server;

namespace VerticalFL.Party.Hosting;

/// <summary>
/// One running party: its store, its gRPC server (mailbox, health, job control, role services), its
/// client to the peers, the jobs it is running and the audit trail of what it sends.
/// </summary>
public sealed class PartyNode : IAsyncDisposable
{
    private readonly AuditWriter _audit;

    private PartyNode(PartyConfig config, VflStore store, ILoggerFactory loggers)
    {
        Config = config;
        Store = store;
        Loggers = loggers;
        store.DecorateJobs(jobs => new JobTransitionLog(jobs, loggers.CreateLogger("VerticalFL.Jobs"),
            job => Server?.Metrics.SetJobState(job.Id, config.Party.Role, job.State.Name(), job.State.IsTerminal())));
        Mailbox = new PartyMailbox(TimeSpan.FromSeconds(config.ReceiveTimeoutSeconds));
        _audit = new AuditWriter(store.Audit);
        Jobs = new JobRegistry(store.Jobs, loggers.CreateLogger<JobRegistry>(), (job, progress) => Server?.Metrics.SetJobProgress(job, progress),
            ForgetJob);
        _peerRegistry = new PeerRegistry(config, store.Participants, loggers.CreateLogger<PeerRegistry>());
        SharedReasons = new SharedReasons(config, loggers.CreateLogger("VerticalFL.Jobs"));
    }

    private readonly PeerRegistry _peerRegistry;
    private readonly CancellationTokenSource _stopping = new();
    private Task _guestWatchdog = Task.CompletedTask;

    internal const string ShuttingDown = "the party is shutting down (stopped by its operator or the system); when it is back, the guest can resubmit the job (a training job: vfl job resume)";
    private static readonly TimeSpan ShutdownDrain = TimeSpan.FromSeconds(3);

    public PartyConfig Config { get; }
    public string Id => Config.Party.Id;
    public VflStore Store { get; }
    public PartyMailbox Mailbox { get; }
    public JobRegistry Jobs { get; }
    public ILoggerFactory Loggers { get; }

    /// <summary>What other parties may read of this party's job reasons (see <see cref="Jobs.SharedReasons"/>).</summary>
    public SharedReasons SharedReasons { get; }
    public FederationClient Client { get; private set; } = null!;
    public PartyServer Server { get; private set; } = null!;

    /// <summary>The board's address when <c>listen.board</c> is set, else null.</summary>
    public Uri? BoardAddress => _board?.Address;
    private BoardServer? _board;

    /// <summary>Opens the store, fails jobs a previous run left unfinished, and starts serving.</summary>
    public static async Task<PartyNode> StartAsync(PartyConfig config, IPartyRole role, ILoggerFactory loggers, CancellationToken cancellationToken = default)
    {
        if (role.Name != config.Party.Role)
            throw new BadInputException($"Config says role '{config.Party.Role}' but the {role.Name} service was started.");
        Directory.CreateDirectory(config.WorkDir);
        var store = await VflStore.OpenAsync(config.Store, cancellationToken);
        var node = new PartyNode(config, store, loggers);
        try
        {
            var unfinished = await node.Jobs.FailUnfinishedAsync("the party restarted while the job was running", cancellationToken);
            node.Server = node.CreateServer(role);
            node.Client = new FederationClient(PeerClientOptions.For(node.Config), node.Server.Metrics, loggers);
            node.Client.MessageSent += node.RecordSent;
            await node.Server.StartAsync(cancellationToken);
            node._board = await PartyBoard.StartAsync(node.Config, store, cancellationToken);
            _ = RestartNotice.SendAsync(node, unfinished);
            if (role.Name != Roles.Guest)
                node._guestWatchdog = node.Jobs.WatchGuestsAsync(TimeSpan.FromSeconds(config.WatchdogSeconds), node.GuestSilence,
                    node._stopping.Token);
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>A channel for one job: sends go to peers over mTLS gRPC, receives come from this party's mailbox.</summary>
    public IPartyChannel OpenChannel(string jobId) => new PeerNamingChannel(Client.OpenChannel(jobId, Mailbox), Client.Describe);

    /// <summary>Records each epoch of a training job in the store and its duration in the metrics.</summary>
    internal StoreTrainingObserver TrainingObserver(JobRun run, int epochs) =>
        new StoreTrainingObserver(Store, run, Id, epochs, seconds => Server?.Metrics.ObserveEpoch(Config.Party.Role, seconds));

    /// <summary>Where this party keeps a job's files (intersection, model, predictions); a malformed id is refused.</summary>
    public JobWorkspace Workspace(string jobId) => new(WorkPaths.JobDirectory(Config.WorkDir, jobId));

    /// <summary>When a job ends: its mailbox state and its metric series go (see PartyMailbox.ForgetJob).</summary>
    private void ForgetJob(string jobId)
    {
        Mailbox.ForgetJob(jobId);
        Server?.Metrics.ForgetJob(jobId);
    }

    /// <summary>Payload bytes this party has sent to each peer so far.</summary>
    public long BytesSent => Config.Peers.Sum(p => Client.Traffic(p.Id).Bytes);

    public async Task FlushAuditAsync(CancellationToken cancellationToken) => await _audit.FlushAsync(cancellationToken);

    /// <summary>The reason a job fails here when its guest has gone silent (see <see cref="PartyConfig.WatchdogSeconds"/>).</summary>
    private string GuestSilence(string guest) =>
        $"nothing heard from the job's guest {guest} for {Config.WatchdogSeconds} s (watchdog_seconds): it stopped or is cut off; "
        + "when it is back, its operator can resubmit the job";

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _guestWatchdog;
        _stopping.Dispose();
        bool hadJobs = Jobs.RunningCount > 0;
        await Jobs.StopAllAsync(ShuttingDown);
        // Keep answering a little longer, so each job's guest reads "failed: the party is shutting down" from
        // its status poll (every second) instead of only finding this party gone.
        if (hadJobs && Server is not null)
            await Task.Delay(ShutdownDrain);
        if (Server is not null)
        {
            await Server.StopAsync();
            await Server.DisposeAsync();
        }
        Client?.Dispose();
        if (_board is not null)
            await _board.DisposeAsync();
        await _audit.DisposeAsync();
        Store.Dispose();
    }

    private PartyServer CreateServer(IPartyRole role)
    {
        var federation = new FederationAuthorizer(Config.TrustedGuests, new StoreJobMembership(Store.Jobs));
        var authorizer = new PartyAuthorizer(Id, role.OperatorServices, federation);
        var options = new PartyServerOptions
        {
            PartyId = Id,
            GrpcEndpoint = Endpoint(Config.Listen.Grpc, "listen.grpc"),
            MetricsEndpoint = string.IsNullOrEmpty(Config.Listen.Metrics) ? null : Endpoint(Config.Listen.Metrics, "listen.metrics"),
            CertificatePath = Config.Tls?.Certificate,
            KeyPath = Config.Tls?.Key,
            CaPath = Config.Tls?.Ca,
            InsecureDev = Config.InsecureDev,
            ReceiveTimeout = TimeSpan.FromSeconds(Config.ReceiveTimeoutSeconds),
            CertificateRules = PeerPins.Rules(Config),
        };
        return PartyServer.Create(options, Mailbox, authorizer, role.CreateJobControl(this),
            builder =>
            {
                builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
                    // A failure to start is thrown to the caller, which says it in one line: no stack trace in the log too.
                    .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
                role.ConfigureServices(builder.Services, this);
            },
            app =>
            {
                app.Use((context, next) => _peerRegistry.RecordCallerAsync(context, next));
                role.MapServices(app, this);
            });
    }


    private void RecordSent(SentMessage message)
    {
        if (message.Duplicate) return;
        _audit.Record(new AuditEntry(message.JobId, AuditDirection.Sent, message.PayloadType, message.Peer, message.Bytes, message.SentAt.UtcDateTime));
    }

    internal static PartyRole RoleOf(string role) => role switch
    {
        Roles.Guest => PartyRole.Guest,
        Roles.Host => PartyRole.Host,
        Roles.Arbiter => PartyRole.Arbiter,
        _ => throw new BadInputException($"Unknown role '{role}'."),
    };

    private static IPEndPoint Endpoint(string value, string setting) =>
        IPEndPoint.TryParse(value, out var endpoint)
            ? endpoint
            : throw new BadInputException($"{setting}: '{value}' is not an IP:port (e.g. 127.0.0.1:7001).");
}
