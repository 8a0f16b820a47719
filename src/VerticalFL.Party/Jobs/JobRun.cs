using VerticalFL.Storage;

namespace VerticalFL.Party.Jobs;

/// <summary>One running job's walk through the state machine, recorded in the store at each step.</summary>
public sealed class JobRun(string jobId, IJobStore store, Action<string, double>? progressed = null)
{
    public string JobId { get; } = jobId;
    public JobState State { get; private set; } = JobState.Pending;

    /// <summary>How the job was told to end (cancelled by an operator, failed by a peer's word or a shutdown), or null.</summary>
    public JobEnding? Ending { get; internal set; }

    /// <summary>The job's guest when it is another party (hosts and the arbiter watch for its word), else null.</summary>
    internal string? Guest { get; init; }

    /// <summary>When this party last heard from the job's guest (<see cref="Environment.TickCount64"/>, ms).</summary>
    internal long LastHeardMs { get; set; } = Environment.TickCount64;

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

/// <summary>The state a job was told to end in and the reason to store.</summary>
public sealed record JobEnding(JobState State, string Reason);
