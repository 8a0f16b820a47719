namespace VerticalFL.Storage;

/// <summary>
/// Where a job is: pending → psi → training → evaluating → succeeded (a PSI-only job: pending → psi →
/// succeeded), or from any of the non-terminal states to failed or cancelled.
/// </summary>
public enum JobState
{
    Pending,
    Psi,
    Training,
    Evaluating,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>The job state machine's rules.</summary>
public static class JobStates
{
    /// <summary>The states a job can still leave.</summary>
    public static IReadOnlyList<JobState> Active { get; } =
        [JobState.Pending, JobState.Psi, JobState.Training, JobState.Evaluating];

    /// <summary>The state as operators, logs and other parties read it: "training", "succeeded", …</summary>
    public static string Name(this JobState state) => state.ToString().ToLowerInvariant();

    public static bool IsTerminal(this JobState state) =>
        state is JobState.Succeeded or JobState.Failed or JobState.Cancelled;

    /// <summary>Whether a job may move from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool CanMove(JobState from, JobState to) => !from.IsTerminal() && (to switch
    {
        JobState.Failed or JobState.Cancelled => true,
        JobState.Psi => from == JobState.Pending,
        JobState.Training => from == JobState.Psi,
        JobState.Evaluating => from == JobState.Training,
        JobState.Succeeded => from is JobState.Evaluating or JobState.Psi,   // psi → succeeded: a PSI-only job
        _ => false,
    });
}
