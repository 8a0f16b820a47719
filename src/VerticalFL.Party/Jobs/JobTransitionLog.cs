using Microsoft.Extensions.Logging;
using VerticalFL.Storage;

namespace VerticalFL.Party.Jobs;

/// <summary>
/// The party's job store with one log line per job transition, whoever causes it (the operator, a guest's
/// proposal or cancel, the job's own work, a restart): accepted, started, each phase, succeeded, failed with
/// the reason, cancelled with the reason. Only transitions the store accepted are logged, and each is
/// also told to <paramref name="changed"/> (the party's metrics).
/// </summary>
internal sealed partial class JobTransitionLog(IJobStore inner, ILogger logger, Action<JobRecord>? changed = null) : IJobStore
{
    public async Task<JobRecord> CreateAsync(NewJob job, CancellationToken cancellationToken = default)
    {
        var created = await inner.CreateAsync(job, cancellationToken);
        changed?.Invoke(created);
        Accepted(job.Id, job.Role.ToString().ToLowerInvariant(), job.Initiator);
        return created;
    }

    public Task<JobRecord?> GetAsync(string jobId, CancellationToken cancellationToken = default) => inner.GetAsync(jobId, cancellationToken);

    public Task<IReadOnlyList<JobRecord>> ListAsync(JobState? state = null, int limit = 100, CancellationToken cancellationToken = default) =>
        inner.ListAsync(state, limit, cancellationToken);

    public Task<IReadOnlyList<JobRecord>> ListByInitiatorAsync(string initiator, DateTime sinceUtc, CancellationToken cancellationToken = default) =>
        inner.ListByInitiatorAsync(initiator, sinceUtc, cancellationToken);

    public Task NoteAsync(string jobId, string note, CancellationToken cancellationToken = default) => inner.NoteAsync(jobId, note, cancellationToken);

    public Task SetProgressAsync(string jobId, int epoch, double progress, CancellationToken cancellationToken = default) =>
        inner.SetProgressAsync(jobId, epoch, progress, cancellationToken);

    public async Task<JobRecord> TransitionAsync(string jobId, JobState from, JobState to, string? reason = null, CancellationToken cancellationToken = default)
    {
        var after = await inner.TransitionAsync(jobId, from, to, reason, cancellationToken);
        changed?.Invoke(after);
        Ended(after, from);
        return after;
    }

    public async Task<JobRecord> FailAsync(string jobId, string reason, CancellationToken cancellationToken = default)
    {
        var after = await inner.FailAsync(jobId, reason, cancellationToken);
        changed?.Invoke(after);
        Failed(jobId, reason);
        return after;
    }

    public async Task<JobRecord> CancelAsync(string jobId, string reason, CancellationToken cancellationToken = default)
    {
        var after = await inner.CancelAsync(jobId, reason, cancellationToken);
        changed?.Invoke(after);
        Cancelled(jobId, reason);
        return after;
    }

    private void Ended(JobRecord after, JobState from)
    {
        switch (after.State)
        {
            case JobState.Succeeded: Succeeded(after.Id); break;
            case JobState.Failed: Failed(after.Id, after.Reason ?? ""); break;
            case JobState.Cancelled: Cancelled(after.Id, after.Reason ?? ""); break;
            case JobState.Psi when from == JobState.Pending: Started(after.Id); break;
            default: Moved(after.Id, from.Name(), after.State.Name()); break;
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Job {JobId} accepted: this party is its {Role}, {Initiator} its guest")]
    private partial void Accepted(string jobId, string role, string initiator);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Job {JobId} started (psi)")]
    private partial void Started(string jobId);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Job {JobId}: {From} -> {To}")]
    private partial void Moved(string jobId, string from, string to);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Job {JobId} succeeded")]
    private partial void Succeeded(string jobId);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Job {JobId} failed: {Reason}")]
    private partial void Failed(string jobId, string reason);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Job {JobId} cancelled: {Reason}")]
    private partial void Cancelled(string jobId, string reason);
}
