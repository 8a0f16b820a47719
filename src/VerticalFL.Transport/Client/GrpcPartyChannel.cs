using Google.Protobuf;
using VerticalFL.Contracts.V1;
using VerticalFL.Protocol.Channels;

namespace VerticalFL.Transport.Client;

/// <summary>
/// <see cref="IPartyChannel"/> over gRPC: a send is one Mailbox.Deliver to the peer (a fresh message
/// id per logical message, kept across retries); a receive waits on this party's own mailbox, which
/// its <see cref="Server.PartyServer"/> fills.
/// </summary>
internal sealed class GrpcPartyChannel(FederationClient client, PartyMailbox mailbox, string jobId) : IPartyChannel
{
    public string Self => client.PartyId;

    public string JobId { get; } = string.IsNullOrWhiteSpace(jobId) ? throw new ArgumentException("A job id is required.", nameof(jobId)) : jobId;

    public async Task SendAsync<T>(string to, T message, Step step, CancellationToken cancellationToken = default)
        where T : IMessage<T>
    {
        ArgumentNullException.ThrowIfNull(message);
        var envelope = new Envelope
        {
            MessageId = Guid.NewGuid().ToString("N"),
            JobId = JobId,
            PayloadType = message.Descriptor.FullName,
            Epoch = step.Epoch,
            Batch = step.Batch,
            Payload = message.ToByteString(),
        };
        await client.DeliverAsync(to, envelope, cancellationToken);
    }

    public Task<T> ReceiveAsync<T>(string from, Step step, CancellationToken cancellationToken = default)
        where T : IMessage<T>, new() =>
        mailbox.ReceiveAsync<T>(JobId, from, step, cancellationToken);
}
