using Google.Protobuf;

namespace VerticalFL.Protocol.Channels;

/// <summary>
/// Typed, job-scoped messaging between parties. Protocol code talks only through this interface;
/// whether messages cross a process boundary (gRPC over mTLS) or stay in memory is not its concern.
/// Messages from one sender of one type in one step arrive in the order they were sent.
/// </summary>
public interface IPartyChannel
{
    /// <summary>The party this channel speaks for.</summary>
    string Self { get; }

    /// <summary>The job every message on this channel belongs to.</summary>
    string JobId { get; }

    Task SendAsync<T>(string to, T message, Step step, CancellationToken cancellationToken = default)
        where T : IMessage<T>;

    /// <summary>Waits for the next message of type <typeparamref name="T"/> from <paramref name="from"/> in <paramref name="step"/>.</summary>
    /// <exception cref="TimeoutException">No such message arrived within the channel's receive timeout.</exception>
    Task<T> ReceiveAsync<T>(string from, Step step, CancellationToken cancellationToken = default)
        where T : IMessage<T>, new();
}

/// <summary>Extensions that keep protocol code short.</summary>
public static class PartyChannelExtensions
{
    public static Task SendAsync<T>(this IPartyChannel channel, string to, T message, CancellationToken cancellationToken = default)
        where T : IMessage<T> => channel.SendAsync(to, message, Step.None, cancellationToken);

    public static Task<T> ReceiveAsync<T>(this IPartyChannel channel, string from, CancellationToken cancellationToken = default)
        where T : IMessage<T>, new() => channel.ReceiveAsync<T>(from, Step.None, cancellationToken);

    /// <summary>Sends the same message to several parties concurrently.</summary>
    public static Task BroadcastAsync<T>(this IPartyChannel channel, IEnumerable<string> to, T message, Step step, CancellationToken cancellationToken = default)
        where T : IMessage<T> => Task.WhenAll(to.Select(p => channel.SendAsync(p, message, step, cancellationToken)));
}
