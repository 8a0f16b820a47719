namespace VerticalFL.Storage;

/// <summary>
/// The read-only queries behind the board: paged job lists, a job's state history, its audit trail paged
/// by id and summed per peer, and the model parts this store holds. Nothing here writes.
/// </summary>
public interface IBoardReader
{
    /// <summary>Newest first (by creation time, then id), filtered by state and kind, starting after <see cref="JobListQuery.After"/>.</summary>
    Task<JobPage> ListJobsAsync(JobListQuery query, CancellationToken cancellationToken = default);

    /// <summary>The job's kind (<c>train</c> for jobs stored before kinds were kept), or null if there is no such job.</summary>
    Task<string?> KindAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>Every state the job entered, oldest first (empty for jobs stored before the history was kept).</summary>
    Task<IReadOnlyList<JobEvent>> EventsAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> audit entries with ids above <paramref name="afterId"/>, in id order.</summary>
    Task<AuditPage> AuditPageAsync(string jobId, long afterId, int limit, CancellationToken cancellationToken = default);

    /// <summary>Messages and bytes per peer and direction, summed over the job's whole audit trail.</summary>
    Task<IReadOnlyList<PeerTraffic>> TrafficAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>The latest version of every model part of the job this store holds (a party stores only its own).</summary>
    Task<IReadOnlyList<ModelRecord>> ModelsAsync(string jobId, CancellationToken cancellationToken = default);
}
