namespace VerticalFL.Storage;

/// <summary>
/// The audit trail of cross-party messages: who, what type, how big, when — never the payload.
/// Use an <see cref="AuditWriter"/> to record per message cheaply.
/// </summary>
public interface IAuditStore
{
    /// <summary>Inserts a batch, all or nothing.</summary>
    Task AppendAsync(IReadOnlyCollection<AuditEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>A job's entries in the order they were appended.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAsync(string jobId, CancellationToken cancellationToken = default);
}
