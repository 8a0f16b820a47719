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
    public void Start(string jobId, Func<JobRun, CancellationToken, Task> work)
    {
        var cancellation = new CancellationTokenSource();
        var run = new JobRun(jobId, store, progressed);
        var running = new Running(cancellation, run);
        if (!_running.TryAdd(jobId, running))
            throw new InvalidOperationException($"Job '{jobId}' is already running.");
        running.Task = Task.Run(() => ExecuteAsync(run, work, cancellation));
    }

    /// <summary>Cancels a running job; the reason is stored. Returns false when it is not running here.</summary>
    public bool Cancel(string jobId, string reason)
    {
        if (!_running.TryGetValue(jobId, out var running)) return false;
        running.Run.CancelReason = reason;
        running.Cancellation.Cancel();
        return true;
    }

    /// <summary>
    /// Cancels a job wherever it is: a running job is stopped (and records the reason), a pending one left
    /// by a proposal is marked cancelled, an ended one is left as it is. Returns the job as stored after.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such job in this party's store.</exception>
    /// <param name="by">Who cancels (a party id, or "the operator"); stored with the reason.</param>
    public async Task<JobRecord> CancelAsync(string jobId, string by, string? reason, CancellationToken cancellationToken)
    {
        reason = $"cancelled by {by}: {(string.IsNullOrWhiteSpace(reason) ? "no reason given" : reason)}";
        var job = await store.GetAsync(jobId, cancellationToken) ?? throw new KeyNotFoundException($"No job '{jobId}'.");
        if (!Cancel(jobId, reason) && !job.State.IsTerminal())
            await store.CancelAsync(jobId, reason, cancellationToken);
        await WaitAsync(jobId);
        return (await store.GetAsync(jobId, cancellationToken))!;
    }

    public bool IsRunning(string jobId) => _running.ContainsKey(jobId);

    /// <summary>How many jobs are running here now.</summary>
    public int RunningCount => _running.Count;

    /// <summary>Waits for a job's background work to end (for tests and the CLI).</summary>
    public Task WaitAsync(string jobId) => _running.TryGetValue(jobId, out var r) ? r.Task! : Task.CompletedTask;

    /// <summary>At start-up: a job left running by a previous process cannot continue in memory, so it fails with a reason.</summary>
    /// <returns>The jobs it failed, as they were before.</returns>
    public async Task<IReadOnlyList<JobRecord>> FailUnfinishedAsync(string reason, CancellationToken cancellationToken)
    {
        var failed = new List<JobRecord>();
        foreach (var state in JobStates.Active)
            foreach (var job in await store.ListAsync(state, 1000, cancellationToken))
            {
                await store.FailAsync(job.Id, $"{reason} (it was in state {job.State})", cancellationToken);
                failed.Add(job);
            }
        return failed;
    }

    /// <summary>Graceful shutdown: running jobs fail with the reason and their tasks are awaited.</summary>
    public async Task StopAllAsync(string reason)
    {
        foreach (var (jobId, running) in _running)
        {
            running.Run.StopReason = reason;
            running.Cancellation.Cancel();
        }
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
            await EndAsync(run, run.CancelReason is { } reason
                ? s => s.CancelAsync(run.JobId, reason)
                : s => s.FailAsync(run.JobId, run.StopReason ?? "stopped"));
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
