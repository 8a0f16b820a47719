using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VerticalFL.Contracts.V1;
using VerticalFL.Protocol.Channels;
using VerticalFL.Transport.Metrics;
using VerticalFL.Transport.Security;

namespace VerticalFL.Transport.Client;

/// <summary>
/// One party's client side: one reused HTTP/2 connection per peer, deadlines on every call,
/// envelope delivery with retries that the peer applies once, traffic counts and a
/// <see cref="MessageSent"/> event per delivered message. Thread-safe; create one per party.
/// </summary>
public sealed class FederationClient : IDisposable
{
    private static readonly HashSet<StatusCode> Transient = [StatusCode.Unavailable, StatusCode.DeadlineExceeded, StatusCode.Aborted];

    private readonly FederationClientOptions _options;
    private readonly PartyCredentials? _credentials;
    private readonly TransportMetrics? _metrics;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Lazy<PeerConnection>> _peers = new(StringComparer.Ordinal);

    /// <param name="metrics">Usually the party server's <see cref="Server.PartyServer.Metrics"/>, so one /metrics shows both sides.</param>
    /// <exception cref="ArgumentException">Options are invalid or the certificate files do not fit them.</exception>
    public FederationClient(FederationClientOptions options, TransportMetrics? metrics = null, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _metrics = metrics;
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger<FederationClient>();
        _credentials = options.InsecureDev
            ? null
            : PartyCredentials.Load(options.CertificatePath, options.KeyPath, options.CaPath, options.PartyId, options.CertificateRules.SelfRole);
        if (options.InsecureDev)
            ClientLog.InsecureDev(_logger, options.PartyId);
    }

    public string PartyId => _options.PartyId;

    /// <summary>Raised after each envelope a peer acknowledged (on the sending thread; keep handlers short).</summary>
    public event Action<SentMessage>? MessageSent;

    /// <summary>A call invoker for any service of <paramref name="peer"/> (deadline and metrics applied).</summary>
    public CallInvoker Invoker(string peer) => Connection(peer).Invoker;

    public JobControl.JobControlClient JobControl(string peer) => new(Invoker(peer));

    public Mailbox.MailboxClient Mailbox(string peer) => new(Invoker(peer));

    public Health.HealthClient Health(string peer) => new(Invoker(peer));

    public PeerTraffic Traffic(string peer) => _peers.TryGetValue(peer, out var c) && c.IsValueCreated ? c.Value.Traffic : default;

    /// <summary>A channel for one job: sends go to peers' mailboxes, receives come from <paramref name="mailbox"/> (the one this party's server fills).</summary>
    public IPartyChannel OpenChannel(string jobId, PartyMailbox mailbox) => new GrpcPartyChannel(this, mailbox, jobId);

    /// <summary>
    /// Delivers an envelope, retrying UNAVAILABLE, DEADLINE_EXCEEDED and ABORTED with exponential
    /// backoff. The same <see cref="Envelope.MessageId"/> goes with every attempt, so the peer applies it once.
    /// </summary>
    /// <exception cref="RpcException">The last attempt's failure, or a non-transient failure.</exception>
    public async Task<DeliveryAck> DeliverAsync(string peer, Envelope envelope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (string.IsNullOrEmpty(envelope.MessageId))
            throw new ArgumentException("The envelope needs a message_id (it makes retries idempotent).", nameof(envelope));
        var connection = Connection(peer);
        var client = new Mailbox.MailboxClient(connection.Invoker);
        var sentAt = DateTimeOffset.UtcNow;
        long start = Stopwatch.GetTimestamp();
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                var ack = await client.DeliverAsync(envelope,
                    deadline: DateTime.UtcNow + _options.CallTimeout, cancellationToken: cancellationToken);
                connection.CountDelivered(envelope.Payload.Length);
                MessageSent?.Invoke(new SentMessage(envelope.JobId, envelope.PayloadType, peer, new Step(envelope.Epoch, envelope.Batch),
                    envelope.Payload.Length, sentAt, Stopwatch.GetElapsedTime(start), attempt, ack.Duplicate));
                return ack;
            }
            catch (RpcException e) when (attempt < _options.MaxAttempts && Transient.Contains(e.StatusCode)
                                         && !cancellationToken.IsCancellationRequested)
            {
                var delay = Backoff(attempt);
                ClientLog.Retrying(_logger, envelope.MessageId, envelope.JobId, peer, e.StatusCode, attempt, (long)delay.TotalMilliseconds);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    /// <summary>
    /// A failed call to <paramref name="peer"/> in one line: the party, its address, the real cause (a refused TLS
    /// certificate says why) and what to check.
    /// </summary>
    public string Describe(string peer, RpcException e)
    {
        var connection = _peers.TryGetValue(peer, out var c) && c.IsValueCreated ? c.Value : null;
        var address = connection?.Address ?? (_options.Peers.TryGetValue(peer, out var a) ? a : new Uri("unknown://" + peer));
        return PeerFailure.Describe(peer, address, connection?.CertificateRejection, e);
    }

    public void Dispose()
    {
        foreach (var connection in _peers.Values.Where(c => c.IsValueCreated))
            connection.Value.Dispose();
        _peers.Clear();
        _credentials?.Dispose();
    }

    /// <summary>InitialBackoff·2^(attempt−1), capped at MaxBackoff, times a random 0.5–1.0 so retries of many parties spread out.</summary>
    internal TimeSpan Backoff(int attempt)
    {
        double step = Math.Min(_options.MaxBackoff.TotalMilliseconds,
            _options.InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30)));
        return TimeSpan.FromMilliseconds(step * (0.5 + Random.Shared.NextDouble() / 2));
    }

    private PeerConnection Connection(string peer)
    {
        if (!_options.Peers.TryGetValue(peer, out var address))
            throw new ArgumentException($"Party '{peer}' is not a known peer of '{PartyId}'.", nameof(peer));
        return _peers.GetOrAdd(peer, p => new Lazy<PeerConnection>(
            () => new PeerConnection(p, address, _options, _credentials, _metrics, _loggers))).Value;
    }
}
