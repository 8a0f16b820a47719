namespace VerticalFL.Storage;

/// <summary>Per-epoch or per-batch training records.</summary>
public interface IIterationStore
{
    Task AddAsync(IterationRecord iteration, CancellationToken cancellationToken = default);

    /// <summary>Adds several records, all or nothing.</summary>
    Task AddRangeAsync(IReadOnlyCollection<IterationRecord> iterations, CancellationToken cancellationToken = default);

    /// <summary>A job's records in the order they were added.</summary>
    Task<IReadOnlyList<IterationRecord>> ListAsync(string jobId, CancellationToken cancellationToken = default);
}
