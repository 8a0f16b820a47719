using System.Collections.Concurrent;
using System.Threading.Channels;
using Google.Protobuf;

namespace VerticalFL.Protocol.Channels;

/// <summary>
/// The receiving side of a party: messages delivered by any transport wait here, keyed by
/// job, sender, payload type and step, until the protocol asks for them. Delivery is idempotent
/// per message id so a retried network call is applied once. Each sender may have at most
/// <see cref="MaxQueuedBytesPerSender"/> bytes waiting per job, and everything a job leaves here
/// (queues, seen message ids, byte counts) is dropped by <see cref="ForgetJob"/> when it ends.
/// </summary>
public sealed class PartyMailbox
{
    /// <summary>Default cap: eight messages of the transport's largest size (64 MiB).</summary>
    public const long DefaultMaxQueuedBytesPerSender = 512L * 1024 * 1024;

    private readonly ConcurrentDictionary<MailKey, Channel<ByteString>> _queues = new();
    private readonly ConcurrentDictionary<(string JobId, string MessageId), byte> _seenMessageIds = new();
    private readonly ConcurrentDictionary<(string JobId, string Sender), long> _queuedBytes = new();

    // Only the ids of ended jobs are kept, so a late or replayed message cannot bring a job's state back.
    private readonly ConcurrentDictionary<string, byte> _endedJobs = new();

    public PartyMailbox(TimeSpan receiveTimeout, long maxQueuedBytesPerSender = DefaultMaxQueuedBytesPerSender)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxQueuedBytesPerSender, 1);
        ReceiveTimeout = receiveTimeout;
        MaxQueuedBytesPerSender = maxQueuedBytesPerSender;
    }

    /// <summary>How long <see cref="ReceiveAsync"/> waits before failing with <see cref="TimeoutException"/>.</summary>
    public TimeSpan ReceiveTimeout { get; }

    /// <summary>Most payload bytes one sender may have waiting for one job.</summary>
    public long MaxQueuedBytesPerSender { get; }

    /// <summary>
    /// Queues a payload; returns false (and drops it) if <paramref name="messageId"/> was seen before in this job
    /// or the job has ended here.
    /// </summary>
    /// <exception cref="MailboxFullException">The sender's waiting bytes for this job would exceed the cap; nothing is queued.</exception>
    public bool Deliver(string messageId, string jobId, string sender, string payloadType, Step step, ByteString payload)
    {
        if (_endedJobs.ContainsKey(jobId) || !_seenMessageIds.TryAdd((jobId, messageId), 0))
            return false;
        long queued = _queuedBytes.AddOrUpdate((jobId, sender), payload.Length, (_, bytes) => bytes + payload.Length);
        if (queued > MaxQueuedBytesPerSender)
        {
            Release(jobId, sender, payload.Length);
            _seenMessageIds.TryRemove((jobId, messageId), out _);   // a retry after the receiver catches up is welcome
            throw new MailboxFullException(
                $"Job {jobId}: '{sender}' would have {queued:N0} bytes waiting here, over the limit of {MaxQueuedBytesPerSender:N0}; the message ({payloadType}, {payload.Length:N0} bytes) was refused.");
        }
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
            Release(jobId, sender, payload.Length);
            return parser.ParseFrom(payload);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"Job {jobId}: no {payloadType} from '{sender}' for step {step} within {ReceiveTimeout.TotalSeconds:0} s.");
        }
    }

    /// <summary>
    /// Drops everything a job left here (when it ends) so memory does not grow across jobs: its queued messages,
    /// the message ids seen and the byte counts. Later deliveries for the job are dropped.
    /// </summary>
    public void ForgetJob(string jobId)
    {
        _endedJobs.TryAdd(jobId, 0);
        foreach (var key in _queues.Keys.Where(k => k.JobId == jobId))
            _queues.TryRemove(key, out _);
        foreach (var key in _seenMessageIds.Keys.Where(k => k.JobId == jobId))
            _seenMessageIds.TryRemove(key, out _);
        foreach (var key in _queuedBytes.Keys.Where(k => k.JobId == jobId))
            _queuedBytes.TryRemove(key, out _);
    }

    /// <summary>How many queues, seen message ids and sender byte counts are held for <paramref name="jobId"/> (for tests).</summary>
    internal (int Queues, int SeenIds, int Senders) StateOf(string jobId) => (
        _queues.Keys.Count(k => k.JobId == jobId),
        _seenMessageIds.Keys.Count(k => k.JobId == jobId),
        _queuedBytes.Keys.Count(k => k.JobId == jobId));

    /// <summary>Bytes <paramref name="sender"/> has waiting for <paramref name="jobId"/>.</summary>
    public long QueuedBytes(string jobId, string sender) => _queuedBytes.GetValueOrDefault((jobId, sender));

    private void Release(string jobId, string sender, int bytes)
    {
        if (_queuedBytes.ContainsKey((jobId, sender)))
            _queuedBytes.AddOrUpdate((jobId, sender), 0, (_, queued) => Math.Max(0, queued - bytes));
    }

    private Channel<ByteString> Queue(MailKey key) =>
        _queues.GetOrAdd(key, _ => Channel.CreateUnbounded<ByteString>(new UnboundedChannelOptions { SingleReader = true }));

    private readonly record struct MailKey(string JobId, string Sender, string PayloadType, Step Step);
}
