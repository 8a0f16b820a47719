using Grpc.Core;

namespace VerticalFL.Transport.Server;

/// <summary>For role services mapped outside Transport: the party the interceptor authenticated for this call.</summary>
public static class PartyCaller
{
    /// <exception cref="RpcException">UNAUTHENTICATED when no party was admitted (the interceptor did not run).</exception>
    public static string Of(ServerCallContext context) => CallerIdentity.Of(context);
}
