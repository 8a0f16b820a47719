using VerticalFL.Storage;

namespace VerticalFL.Party.Jobs;

/// <summary>One running job's walk through the state machine, recorded in the store at each step.</summary>
public sealed class JobRun(string jobId, IJobStore store, Action<string, double>? progressed = null)
{
    public string JobId { get; } = jobId;
    public JobState State { get; private set; } = JobState.Pending;

    internal string? CancelReason { get; set; }
    internal string? StopReason { get; set; }

    /// <summary>Moves to the next state (pending → psi → training → evaluating → succeeded).</summary>
    public async Task MoveToAsync(JobState next, CancellationToken cancellationToken, string? note = null)
    {
        await store.TransitionAsync(JobId, State, next, note, cancellationToken);
        State = next;
        if (next == JobState.Succeeded) progressed?.Invoke(JobId, 1.0);
    }

    /// <summary>Records the last completed epoch and the fraction of the current phase done (PSI, then training).</summary>
    public Task ReportProgressAsync(int epoch, double progress, CancellationToken cancellationToken)
    {
        progressed?.Invoke(JobId, progress);
        return store.SetProgressAsync(JobId, epoch, progress, cancellationToken);
    }
}
