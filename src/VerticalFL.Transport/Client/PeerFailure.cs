using System.Net.Sockets;
using System.Security.Authentication;
using Grpc.Core;

namespace VerticalFL.Transport.Client;

/// <summary>
/// A failed call to a peer in one line an operator can act on: which party, at which address, the real cause (a
/// refused certificate says why, not "The SSL connection could not be established") and what to check.
/// </summary>
internal static class PeerFailure
{
    public static string Describe(string peer, Uri address, string? certificateRejection, RpcException e)
    {
        string at = $"{peer} at {address.Authority}";
        if (Find<AuthenticationException>(e) is { } tls)
            return certificateRejection is not null
                ? $"{at} was refused at the TLS handshake: {certificateRejection}. Check the address of '{peer}' under peers: " +
                  "in this party's config (is it another party's?) and the certificate that party serves."
                : $"{at}: the TLS handshake failed ({tls.Message}). Does that party trust this federation's CA and this party's certificate?";
        if (e.StatusCode == StatusCode.DeadlineExceeded)
            return $"{at} did not answer in time. Is its `vfl party` running and reachable from here?";
        if (Find<SocketException>(e) is { } socket)
            return $"{at} is not reachable ({Plain(socket.SocketErrorCode)}). Is its `vfl party` running, and is its address under peers: right?";
        if (e.StatusCode == StatusCode.Unavailable)
            return $"{at} is unavailable ({e.Status.Detail}). Is its `vfl party` running, and is its address under peers: right?";
        if (e.StatusCode == StatusCode.ResourceExhausted && e.Status.Detail.Contains("maximum configured message size", StringComparison.Ordinal))
            return $"{at}: the message is larger than the transport allows ({e.Status.Detail}); one gRPC message may carry at most " +
                   "the transport's MaxMessageBytes (64 MiB by default) on both sides. Large protocol payloads must be sent in chunks: this is a bug to report.";
        return $"{at}: {e.StatusCode} {e.Status.Detail}";
    }

    private static string Plain(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused: nothing listens there",
        SocketError.HostNotFound or SocketError.NoData => "host name not found",
        SocketError.TimedOut => "connection timed out",
        SocketError.NetworkUnreachable or SocketError.HostUnreachable => "no route to the host",
        _ => error.ToString(),
    };

    private static T? Find<T>(RpcException e) where T : Exception =>
        Chain(e).Concat(Chain(e.Status.DebugException)).OfType<T>().FirstOrDefault();

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            yield return x;
    }
}
