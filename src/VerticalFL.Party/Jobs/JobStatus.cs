using VerticalFL.Contracts.V1;
using VerticalFL.Storage;
using StoredState = VerticalFL.Storage.JobState;
using WireState = VerticalFL.Contracts.V1.JobState;

namespace VerticalFL.Party.Jobs;

/// <summary>Maps a stored job to the job-control status other parties see.</summary>
public static class JobStatus
{
    public static JobStatusReply Of(JobRecord job) => new()
    {
        JobId = job.Id,
        State = WireStateOf(job.State),
        Phase = job.State.Name(),
        Progress = job.Progress,
        Message = job.Reason ?? "",
        UpdatedUnixMs = new DateTimeOffset(job.UpdatedUtc, TimeSpan.Zero).ToUnixTimeMilliseconds(),
    };

    public static WireState WireStateOf(StoredState state) => state switch
    {
        StoredState.Pending => WireState.Pending,
        StoredState.Psi or StoredState.Training or StoredState.Evaluating => WireState.Running,
        StoredState.Succeeded => WireState.Succeeded,
        StoredState.Failed => WireState.Failed,
        StoredState.Cancelled => WireState.Cancelled,
        _ => WireState.Unspecified,
    };

    /// <summary>Polls the store and yields the job whenever it changed, until it ends.</summary>
    public static async IAsyncEnumerable<JobRecord> WatchAsync(IJobStore jobs, string jobId, TimeSpan interval,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        JobRecord? last = null;
        while (true)
        {
            var job = await jobs.GetAsync(jobId, cancellationToken) ?? throw new KeyNotFoundException($"No job '{jobId}'.");
            if (last is null || job.UpdatedUtc != last.UpdatedUtc || job.State != last.State || job.Progress != last.Progress)
                yield return job;
            if (job.State.IsTerminal()) yield break;
            last = job;
            await Task.Delay(interval, cancellationToken);
        }
    }
}
