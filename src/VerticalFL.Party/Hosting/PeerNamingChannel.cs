using Google.Protobuf;
using Grpc.Core;
using VerticalFL.Protocol.Channels;

namespace VerticalFL.Party.Hosting;

/// <summary>
/// Puts the peer's name into delivery failures, so a job that fails because a party went away says
/// which one ("sending vfl.v1.X to 'telecom' failed: Unavailable …") instead of a bare gRPC status.
/// </summary>
internal sealed class PeerNamingChannel(IPartyChannel inner, Func<string, RpcException, string> describe) : IPartyChannel
{
    public string Self => inner.Self;
    public string JobId => inner.JobId;

    public async Task SendAsync<T>(string to, T message, Step step, CancellationToken cancellationToken = default)
        where T : IMessage<T>
    {
        try
        {
            await inner.SendAsync(to, message, step, cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
        {
            throw new PeerUnreachableException(to,
                $"sending {message.Descriptor.FullName} to '{to}' failed: {describe(to, e)}", e);
        }
    }

    public Task<T> ReceiveAsync<T>(string from, Step step, CancellationToken cancellationToken = default)
        where T : IMessage<T>, new() => inner.ReceiveAsync<T>(from, step, cancellationToken);
}

/// <summary>A peer could not be reached (or refused) while a job was running; the message names it.</summary>
public sealed class PeerUnreachableException(string peer, string message, Exception inner) : Exception(message, inner)
{
    /// <summary>The party that could not be reached.</summary>
    public string Peer { get; } = peer;
}
