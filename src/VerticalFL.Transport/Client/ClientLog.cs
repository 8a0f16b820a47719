using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace VerticalFL.Transport.Client;

/// <summary>Every log line of the federation client. Event ids are stable (2xxx); never payloads or key material.</summary>
internal static partial class ClientLog
{
    [LoggerMessage(2001, LogLevel.Warning, "Delivery {MessageId} of job {JobId} to {Peer} failed with {Status} (attempt {Attempt}); retrying in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string messageId, string jobId, string peer, StatusCode status, int attempt, long delayMs);

    [LoggerMessage(2002, LogLevel.Warning, "Peer {Peer} presented an unacceptable certificate: {Reason} (subject '{Subject}')")]
    public static partial void PeerCertificateRejected(ILogger logger, string peer, string reason, string subject);

    [LoggerMessage(2003, LogLevel.Critical, "INSECURE DEV MODE: party {PartyId} calls peers over plaintext HTTP/2 and names itself in a forgeable header.")]
    public static partial void InsecureDev(ILogger logger, string partyId);
}
