namespace VerticalFL.Storage;

/// <summary>Whether this party sent or received an audited message.</summary>
public enum AuditDirection
{
    Sent,
    Received,
}

/// <summary>
/// One cross-party message, described but never kept: there is deliberately no payload field.
/// </summary>
/// <param name="MessageType">The protobuf full name, e.g. <c>vfl.v1.EncryptedGradient</c>.</param>
/// <param name="Peer">The other party.</param>
/// <param name="SizeBytes">Payload size in bytes.</param>
/// <param name="AtUtc">When it was sent or received.</param>
public sealed record AuditEntry(
    string JobId,
    AuditDirection Direction,
    string MessageType,
    string Peer,
    long SizeBytes,
    DateTime AtUtc);
