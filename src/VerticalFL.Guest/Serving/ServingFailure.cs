using Grpc.Core;

namespace VerticalFL.Guest.Serving;

/// <summary>A prediction request that could not be answered, with the gRPC status it maps to and the party named in the message.</summary>
internal sealed class ServingFailure(StatusCode code, string message, string? host = null) : Exception(message)
{
    public StatusCode Code { get; } = code;

    /// <summary>The host that failed (down, late, refusing), or null when the failure is the guest's.</summary>
    public string? Host { get; } = host;

    public RpcException ToRpc() => new(new Status(Code, Message));
}
