using Google.Protobuf;
using VerticalFL.Protocol.Channels;

namespace VerticalFL.Protocol.Training;

/// <summary>Counts the payload bytes one party sends, for the observer's per-batch and per-epoch figures.</summary>
internal sealed class MeteredChannel(IPartyChannel inner) : IPartyChannel
{
    private long _bytesSent;

    public long BytesSent => Interlocked.Read(ref _bytesSent);
    public string Self => inner.Self;
    public string JobId => inner.JobId;

    public Task SendAsync<T>(string to, T message, Step step, CancellationToken cancellationToken = default) where T : IMessage<T>
    {
        Interlocked.Add(ref _bytesSent, message.CalculateSize());
        return inner.SendAsync(to, message, step, cancellationToken);
    }

    public Task<T> ReceiveAsync<T>(string from, Step step, CancellationToken cancellationToken = default) where T : IMessage<T>, new() =>
        inner.ReceiveAsync<T>(from, step, cancellationToken);
}
