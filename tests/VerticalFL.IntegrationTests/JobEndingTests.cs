using Microsoft.Extensions.Logging.Abstractions;
using VerticalFL.Party.Jobs;
using VerticalFL.Storage;

namespace VerticalFL.IntegrationTests;

/// <summary>
/// The job registry's endings in one process, with a real SQLite store: the first ending asked for stands, and the
/// guest watchdog fails a job whose guest goes silent but not one whose guest keeps calling (issue 14, item 3).
/// </summary>
public sealed class JobEndingTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("vfl-ending-").FullName;
    private VflStore _store = null!;
    private JobRegistry _jobs = null!;

    public async Task InitializeAsync()
    {
        _store = await VflStore.OpenAsync("sqlite:" + Path.Combine(_directory, "vfl.db"));
        _jobs = new JobRegistry(_store.Jobs, NullLogger<JobRegistry>.Instance);
    }

    public Task DisposeAsync()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task End_CancelledThenFailed_TheFirstEndingStands()
    {
        await StartWaitingJobAsync("job-a", guest: "bank");

        Assert.True(_jobs.End("job-a", JobState.Cancelled, "cancelled by the guest's operator: wrong data"));
        _jobs.End("job-a", JobState.Failed, "telecom failed: later news");
        await _jobs.WaitAsync("job-a").WaitAsync(TimeSpan.FromSeconds(10));

        var job = (await _store.Jobs.GetAsync("job-a"))!;
        Assert.Equal((JobState.Cancelled, "cancelled by the guest's operator: wrong data"), (job.State, job.Reason));
    }

    [Fact]
    public async Task EndAsync_FailedWithTheGuestsReason_StoresItVerbatimAndLaterEndingsChangeNothing()
    {
        await StartWaitingJobAsync("job-b", guest: "bank");

        var after = await _jobs.EndAsync("job-b", JobState.Failed, "failed at the guest: the party restarted while the job was running", CancellationToken.None);
        var again = await _jobs.EndAsync("job-b", JobState.Cancelled, "cancelled by the guest's operator: too late", CancellationToken.None);

        Assert.Equal((JobState.Failed, "failed at the guest: the party restarted while the job was running"), (after.State, after.Reason));
        Assert.Equal((after.State, after.Reason), (again.State, again.Reason));
    }

    [Fact]
    public async Task WatchGuests_SilentGuestFailsItsJob_ACallingGuestKeepsItsJobRunning()
    {
        await StartWaitingJobAsync("job-silent", guest: "bank");
        await StartWaitingJobAsync("job-heard", guest: "bank");
        await StartWaitingJobAsync("job-own", guest: null);   // this party's own job (a guest's): not watched
        using var stop = new CancellationTokenSource();
        var watchdog = _jobs.WatchGuestsAsync(TimeSpan.FromMilliseconds(1500), guest => $"nothing heard from {guest}", stop.Token);

        for (var clock = System.Diagnostics.Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromSeconds(4); await Task.Delay(100))
            _jobs.Heard("job-heard");

        var silent = (await _store.Jobs.GetAsync("job-silent"))!;
        Assert.Equal((JobState.Failed, "nothing heard from bank"), (silent.State, silent.Reason));
        Assert.True(_jobs.IsRunning("job-heard"), "a job whose guest keeps calling was ended");
        Assert.True(_jobs.IsRunning("job-own"), "a job with no other guest was ended");
        await stop.CancelAsync();
        await watchdog.WaitAsync(TimeSpan.FromSeconds(5));
        foreach (var id in new[] { "job-heard", "job-own" })
        {
            _jobs.Cancel(id, "test over");
            await _jobs.WaitAsync(id).WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>A stored job whose work waits until it is told to end.</summary>
    private async Task StartWaitingJobAsync(string jobId, string? guest)
    {
        await _store.Jobs.CreateAsync(new NewJob(jobId, PartyRole.Host, guest ?? "telecom",
            [new JobParty("bank", PartyRole.Guest), new JobParty("telecom", PartyRole.Host)], "{}"));
        _jobs.Start(jobId, async (run, ct) =>
        {
            await run.MoveToAsync(JobState.Psi, ct);
            await Task.Delay(Timeout.Infinite, ct);
        }, guest);
        for (int i = 0; i < 100 && (await _store.Jobs.GetAsync(jobId))!.State == JobState.Pending; i++)
            await Task.Delay(20);
    }
}
