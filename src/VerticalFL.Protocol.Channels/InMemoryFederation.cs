using Google.Protobuf;

namespace VerticalFL.Protocol.Channels;

/// <summary>
/// Every party in one process, each with its own mailbox. Messages are serialised on send exactly as
/// on the wire, so byte counts and parsing behave as over the network. For protocol tests and
/// single-process benchmarks.
/// </summary>
public sealed class InMemoryFederation
{
    private readonly Dictionary<string, PartyMailbox> _mailboxes;

    public InMemoryFederation(IEnumerable<string> parties, TimeSpan? receiveTimeout = null)
    {
        var timeout = receiveTimeout ?? TimeSpan.FromMinutes(2);
        _mailboxes = parties.ToDictionary(p => p, _ => new PartyMailbox(timeout));
    }

    /// <summary>Total payload bytes sent through this federation.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);
    private long _bytesSent;

    public IPartyChannel Channel(string self, string jobId)
    {
        if (!_mailboxes.ContainsKey(self))
            throw new ArgumentException($"Party '{self}' is not part of this federation.", nameof(self));
        return new InMemoryChannel(this, self, jobId);
    }

    private sealed class InMemoryChannel(InMemoryFederation federation, string self, string jobId) : IPartyChannel
    {
        public string Self => self;
        public string JobId => jobId;

        public Task SendAsync<T>(string to, T message, Step step, CancellationToken cancellationToken = default)
            where T : IMessage<T>
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!federation._mailboxes.TryGetValue(to, out var mailbox))
                throw new ArgumentException($"Party '{to}' is not part of this federation.", nameof(to));
            var payload = message.ToByteString();
            Interlocked.Add(ref federation._bytesSent, payload.Length);
            mailbox.Deliver(Guid.NewGuid().ToString("N"), jobId, self, message.Descriptor.FullName, step, payload);
            return Task.CompletedTask;
        }

        public Task<T> ReceiveAsync<T>(string from, Step step, CancellationToken cancellationToken = default)
            where T : IMessage<T>, new() =>
            federation._mailboxes[self].ReceiveAsync<T>(jobId, from, step, cancellationToken);
    }
}
