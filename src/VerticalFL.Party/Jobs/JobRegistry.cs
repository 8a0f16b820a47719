using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using VerticalFL.Storage;

namespace VerticalFL.Party.Jobs;

/// <summary>
/// The jobs this party is running: each one a background task with its own cancellation. When a
/// job's work throws, the job is failed in the store with the reason; when it is cancelled, it is
/// cancelled. A job never ends silently half done.
/// </summary>
/// <param name="progressed">Told of each job's progress (0..1), e.g. to export it as a metric.</param>
/// <param name="ended">Told when a job's work has ended (however it ended), to drop what was kept for it.</param>
public sealed class JobRegistry(IJobStore store, ILogger<JobRegistry> logger, Action<string, double>? progressed = null,
    Action<string>? ended = null)
{
    private readonly ConcurrentDictionary<string, Running> _running = new();

    /// <summary>Starts <paramref name="work"/> for a job that is already in the store.</summary>
    /// <param name="guest">The job's guest when it is another party: the job is failed if nothing is heard from it
    /// for the watchdog period (<see cref="WatchGuestsAsync"/>).</param>
    public void Start(string jobId, Func<JobRun, CancellationToken, Task> work, string? guest = null)
    {
        var cancellation = new CancellationTokenSource();
        var run = new JobRun(jobId, store, progressed) { Guest = guest };
        var running = new Running(cancellation, run);
        if (!_running.TryAdd(jobId, running))
            throw new InvalidOperationException($"Job '{jobId}' is already running.");
        running.Task = Task.Run(() => ExecuteAsync(run, work, cancellation));
    }

    /// <summary>
    /// Stops a running job, which then ends in <paramref name="outcome"/> (failed or cancelled) with
    /// <paramref name="reason"/>; the first ending asked for stands. Returns false when it is not running here.
    /// </summary>
    public bool End(string jobId, JobState outcome, string reason)
    {
        if (outcome is not (JobState.Failed or JobState.Cancelled))
            throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "A job is ended as failed or cancelled.");
        if (!_running.TryGetValue(jobId, out var running)) return false;
        lock (running)
            running.Run.Ending ??= new JobEnding(outcome, reason);
        running.Cancellation.Cancel();
        return true;
    }

    /// <summary>Cancels a running job; the reason is stored. Returns false when it is not running here.</summary>
    public bool Cancel(string jobId, string reason) => End(jobId, JobState.Cancelled, reason);

    /// <summary>
    /// Ends a job wherever it is: a running job is stopped (and records the reason), a pending one left by a
    /// proposal is marked as <paramref name="outcome"/>, an ended one is left as it is. Returns the job as stored after.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such job in this party's store.</exception>
    public async Task<JobRecord> EndAsync(string jobId, JobState outcome, string reason, CancellationToken cancellationToken)
    {
        var job = await store.GetAsync(jobId, cancellationToken) ?? throw new KeyNotFoundException($"No job '{jobId}'.");
        if (!End(jobId, outcome, reason) && !job.State.IsTerminal())
        {
            try
            {
                await (outcome == JobState.Cancelled ? store.CancelAsync(jobId, reason, cancellationToken) : store.FailAsync(jobId, reason, cancellationToken));
            }
            catch (JobTransitionException)
            {
                // It ended meanwhile: the first ending stands.
            }
        }
        await WaitAsync(jobId);
        return (await store.GetAsync(jobId, cancellationToken))!;
    }

    /// <summary>Cancels a job wherever it is (see <see cref="EndAsync"/>), the reason saying who cancelled it.</summary>
    /// <param name="by">Who cancels (a party id, or "the guest's operator"); stored with the reason.</param>
    public Task<JobRecord> CancelAsync(string jobId, string by, string? reason, CancellationToken cancellationToken) =>
        EndAsync(jobId, JobState.Cancelled, CancelReason(by, reason), cancellationToken);

    /// <summary>"cancelled by BY: REASON", as every party of a cancelled job stores it.</summary>
    public static string CancelReason(string by, string? reason) =>
        $"cancelled by {by}: {(string.IsNullOrWhiteSpace(reason) ? "no reason given" : reason.Trim())}";

    /// <summary>Notes that the job's guest was heard from (a status call or a message): its watchdog starts again.</summary>
    public void Heard(string jobId)
    {
        if (_running.TryGetValue(jobId, out var running))
            running.Run.LastHeardMs = Environment.TickCount64;
    }

    /// <summary>
    /// Until stopped: fails every running job whose guest (another party) has not been heard from for
    /// <paramref name="period"/>, with the reason <paramref name="describe"/> gives for that guest. The guest asks
    /// every participant for its status each second while a job runs, so only a guest that is gone or cut off
    /// stays silent that long.
    /// </summary>
    public async Task WatchGuestsAsync(TimeSpan period, Func<string, string> describe, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromMilliseconds(Math.Clamp(period.TotalMilliseconds / 5, 200, 10_000));
        try
        {
            while (true)
            {
                await Task.Delay(interval, cancellationToken);
                long now = Environment.TickCount64;
                foreach (var (jobId, running) in _running)
                {
                    if (running.Run.Guest is not { } guest || now - running.Run.LastHeardMs < period.TotalMilliseconds) continue;
                    string reason = describe(guest);
                    logger.LogWarning("Job {JobId}: {Reason}", jobId, reason);
                    End(jobId, JobState.Failed, reason);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public bool IsRunning(string jobId) => _running.ContainsKey(jobId);

    /// <summary>How many jobs are running here now.</summary>
    public int RunningCount => _running.Count;

    /// <summary>Waits for a job's background work to end (for tests and the CLI).</summary>
    public Task WaitAsync(string jobId) => _running.TryGetValue(jobId, out var r) ? r.Task! : Task.CompletedTask;

    /// <summary>At start-up: a job left running by a previous process cannot continue in memory, so it fails with a reason.</summary>
    /// <returns>The jobs it failed, as stored after (with the reason).</returns>
    public async Task<IReadOnlyList<JobRecord>> FailUnfinishedAsync(string reason, CancellationToken cancellationToken)
    {
        var failed = new List<JobRecord>();
        foreach (var state in JobStates.Active)
            foreach (var job in await store.ListAsync(state, 1000, cancellationToken))
                failed.Add(await store.FailAsync(job.Id, $"{reason} (it was in state {job.State.Name()})", cancellationToken));
        return failed;
    }

    /// <summary>Graceful shutdown: running jobs fail with the reason and their tasks are awaited.</summary>
    public async Task StopAllAsync(string reason)
    {
        foreach (var jobId in _running.Keys)
            End(jobId, JobState.Failed, reason);
        await Task.WhenAll(_running.Values.Select(r => r.Task ?? Task.CompletedTask));
    }

    private async Task ExecuteAsync(JobRun run, Func<JobRun, CancellationToken, Task> work, CancellationTokenSource cancellation)
    {
        try
        {
            await work(run, cancellation.Token);
        }
        catch (Exception) when (cancellation.IsCancellationRequested)
        {
            // Whatever the work threw once it was told to stop (OperationCanceledException, or a gRPC call
            // ending CANCELLED), the job ends for the reason it was stopped.
            var ending = run.Ending ?? new JobEnding(JobState.Failed, "stopped");
            await EndAsync(run, ending.State == JobState.Cancelled
                ? s => s.CancelAsync(run.JobId, ending.Reason)
                : s => s.FailAsync(run.JobId, ending.Reason));
        }
        catch (Exception e)
        {
            await EndAsync(run, s => s.FailAsync(run.JobId, JobFailure.Describe(e)));
        }
        finally
        {
            _running.TryRemove(run.JobId, out _);
            cancellation.Dispose();
            ended?.Invoke(run.JobId);
        }
    }

    private async Task EndAsync(JobRun run, Func<IJobStore, Task> end)
    {
        try
        {
            await end(store);
        }
        catch (JobTransitionException)
        {
            // Already ended (e.g. cancelled while failing): the first ending stands.
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not record the end of job {JobId}", run.JobId);
        }
    }

    private sealed class Running(CancellationTokenSource cancellation, JobRun run)
    {
        public CancellationTokenSource Cancellation { get; } = cancellation;
        public JobRun Run { get; } = run;
        public Task? Task { get; set; }
    }
}
