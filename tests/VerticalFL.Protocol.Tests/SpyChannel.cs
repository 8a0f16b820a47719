using Google.Protobuf;
using VerticalFL.Protocol.Channels;

namespace VerticalFL.Protocol.Tests;

/// <summary>A party's channel that keeps a copy of everything it sends and receives: what a curious party sees.</summary>
internal sealed class SpyChannel(IPartyChannel inner) : IPartyChannel
{
    private readonly List<(string Peer, IMessage Message)> _sent = [];
    private readonly List<(string Peer, IMessage Message)> _received = [];

    public string Self => inner.Self;
    public string JobId => inner.JobId;

    public IReadOnlyList<(string Peer, IMessage Message)> Sent { get { lock (_sent) return [.. _sent]; } }
    public IReadOnlyList<(string Peer, IMessage Message)> Received { get { lock (_received) return [.. _received]; } }

    public Task SendAsync<T>(string to, T message, Step step, CancellationToken cancellationToken = default) where T : IMessage<T>
    {
        lock (_sent) _sent.Add((to, message));
        return inner.SendAsync(to, message, step, cancellationToken);
    }

    public async Task<T> ReceiveAsync<T>(string from, Step step, CancellationToken cancellationToken = default) where T : IMessage<T>, new()
    {
        var message = await inner.ReceiveAsync<T>(from, step, cancellationToken);
        lock (_received) _received.Add((from, message));
        return message;
    }
}
