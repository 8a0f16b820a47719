using System.Collections.Concurrent;
using System.Threading.Channels;
using Google.Protobuf;

namespace VerticalFL.Protocol.Channels;

/// <summary>
/// The receiving side of a party: messages delivered by any transport wait here, keyed by
/// job, sender, payload type and step, until the protocol asks for them. Delivery is idempotent
/// per message id so a retried network call is applied once.
/// </summary>
public sealed class PartyMailbox
{
    private readonly ConcurrentDictionary<MailKey, Channel<ByteString>> _queues = new();
    private readonly ConcurrentDictionary<string, byte> _seenMessageIds = new();

    public PartyMailbox(TimeSpan receiveTimeout) => ReceiveTimeout = receiveTimeout;

    /// <summary>How long <see cref="ReceiveAsync"/> waits before failing with <see cref="TimeoutException"/>.</summary>
    public TimeSpan ReceiveTimeout { get; }

    /// <summary>Queues a payload; returns false (and drops it) if <paramref name="messageId"/> was seen before.</summary>
    public bool Deliver(string messageId, string jobId, string sender, string payloadType, Step step, ByteString payload)
    {
        if (!_seenMessageIds.TryAdd(messageId, 0))
            return false;
        Queue(new MailKey(jobId, sender, payloadType, step)).Writer.TryWrite(payload);
        return true;
    }

    public async Task<T> ReceiveAsync<T>(string jobId, string sender, Step step, CancellationToken cancellationToken)
        where T : IMessage<T>, new()
    {
        var parser = new MessageParser<T>(() => new T());
        string payloadType = new T().Descriptor.FullName;
        var queue = Queue(new MailKey(jobId, sender, payloadType, step));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReceiveTimeout);
        try
        {
            var payload = await queue.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
            return parser.ParseFrom(payload);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"Job {jobId}: no {payloadType} from '{sender}' for step {step} within {ReceiveTimeout.TotalSeconds:0} s.");
        }
    }

    /// <summary>Drops every queued message of a job (when it ends) so memory does not grow across jobs.</summary>
    public void ForgetJob(string jobId)
    {
        foreach (var key in _queues.Keys.Where(k => k.JobId == jobId))
            _queues.TryRemove(key, out _);
    }

    private Channel<ByteString> Queue(MailKey key) =>
        _queues.GetOrAdd(key, _ => Channel.CreateUnbounded<ByteString>(new UnboundedChannelOptions { SingleReader = true }));

    private readonly record struct MailKey(string JobId, string Sender, string PayloadType, Step Step);
}
