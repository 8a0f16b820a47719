namespace VerticalFL.Storage;

/// <summary>Jobs and their state machine. Every state change is a compare-and-set in the database.</summary>
public interface IJobStore
{
    /// <summary>Creates a pending job with its participants, all or nothing.</summary>
    Task<JobRecord> CreateAsync(NewJob job, CancellationToken cancellationToken = default);

    Task<JobRecord?> GetAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>The newest jobs first, optionally only those in <paramref name="state"/>.</summary>
    Task<IReadOnlyList<JobRecord>> ListAsync(JobState? state = null, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>The jobs <paramref name="initiator"/> created at or after <paramref name="sinceUtc"/>, newest first (a host's per-guest quotas).</summary>
    Task<IReadOnlyList<JobRecord>> ListByInitiatorAsync(string initiator, DateTime sinceUtc, CancellationToken cancellationToken = default);

    /// <summary>Sets the reason line of a job that has not ended (e.g. "awaiting approval"), without changing its state.</summary>
    /// <exception cref="JobTransitionException">The job has already ended; nothing changed.</exception>
    Task NoteAsync(string jobId, string note, CancellationToken cancellationToken = default);

    /// <summary>Moves a job from <paramref name="from"/> to <paramref name="to"/>.</summary>
    /// <param name="reason">Required when <paramref name="to"/> is failed or cancelled.</param>
    /// <exception cref="JobTransitionException">The move is not allowed, or the job is no longer in <paramref name="from"/>; nothing changed.</exception>
    /// <exception cref="KeyNotFoundException">There is no such job.</exception>
    Task<JobRecord> TransitionAsync(string jobId, JobState from, JobState to, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>Fails a job from whatever non-terminal state it is in.</summary>
    /// <exception cref="JobTransitionException">The job has already ended; nothing changed.</exception>
    Task<JobRecord> FailAsync(string jobId, string reason, CancellationToken cancellationToken = default);

    /// <summary>Cancels a job from whatever non-terminal state it is in.</summary>
    /// <exception cref="JobTransitionException">The job has already ended; nothing changed.</exception>
    Task<JobRecord> CancelAsync(string jobId, string reason, CancellationToken cancellationToken = default);

    /// <summary>Records progress of a running job.</summary>
    /// <exception cref="JobTransitionException">The job has already ended; nothing changed.</exception>
    Task SetProgressAsync(string jobId, int epoch, double progress, CancellationToken cancellationToken = default);
}
