namespace VerticalFL.Storage;

/// <summary>A job state change was refused; the job is unchanged.</summary>
public sealed class JobTransitionException : InvalidOperationException
{
    internal JobTransitionException(string jobId, JobState? actual, JobState requested, string message)
        : base(message)
    {
        JobId = jobId;
        Actual = actual;
        Requested = requested;
    }

    public string JobId { get; }

    /// <summary>The job's state when the change was refused, if it was read.</summary>
    public JobState? Actual { get; }

    public JobState Requested { get; }
}
