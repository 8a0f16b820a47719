using Microsoft.Extensions.Logging;

namespace VerticalFL.Transport.Server;

/// <summary>Every log line of the party server. Event ids are stable (1xxx); nothing here ever logs key material or payloads.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(1001, LogLevel.Information, "Party {PartyId} serving gRPC on {GrpcAddress} (TLS 1.3, client certificates required), metrics on {MetricsAddress}")]
    public static partial void Listening(ILogger logger, string partyId, Uri grpcAddress, string metricsAddress);

    [LoggerMessage(1002, LogLevel.Critical, "INSECURE DEV MODE: party {PartyId} serves plaintext HTTP/2 on {GrpcAddress} and trusts the vfl-dev-party header. Never use this outside a developer machine.")]
    public static partial void InsecureDev(ILogger logger, string partyId, Uri grpcAddress);

    [LoggerMessage(1003, LogLevel.Warning, "TLS client certificate rejected from {RemoteAddress}: {Reason} (subject '{Subject}', thumbprint {Thumbprint})")]
    public static partial void ClientCertificateRejected(ILogger logger, string? remoteAddress, string reason, string subject, string thumbprint);

    [LoggerMessage(1004, LogLevel.Warning, "Unauthenticated call to {Method} from {RemoteAddress}: {Reason}")]
    public static partial void Unauthenticated(ILogger logger, string method, string? remoteAddress, string reason);

    [LoggerMessage(1005, LogLevel.Warning, "Denied {Method} to party {PartyId} (job '{JobId}'): {Reason}")]
    public static partial void Denied(ILogger logger, string method, string partyId, string? jobId, string reason);

    [LoggerMessage(1006, LogLevel.Debug, "Delivered {PayloadType} for job {JobId} from {PartyId} ({Bytes} bytes, duplicate: {Duplicate})")]
    public static partial void Delivered(ILogger logger, string payloadType, string jobId, string partyId, int bytes, bool duplicate);

    [LoggerMessage(1007, LogLevel.Warning, "Job-control handler failed on {Method} for party {PartyId}")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string method, string partyId);
}
