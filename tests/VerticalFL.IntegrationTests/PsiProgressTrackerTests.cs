using VerticalFL.Party.Jobs;
using VerticalFL.Protocol.Psi;
using VerticalFL.Storage;

namespace VerticalFL.IntegrationTests;

/// <summary>PSI's batch reports reach the job's stored progress, which the Operator API's Watch streams.</summary>
public sealed class PsiProgressTrackerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("vfl-progress-").FullName;

    [Fact]
    public async Task Report_BothStagesWithTwoHosts_StoresTheFractionOfAllFourStagesAndNeverGoesBack()
    {
        using var store = await VflStore.OpenAsync("sqlite:" + Path.Combine(_directory, "vfl.db"));
        await store.Jobs.CreateAsync(new NewJob("job-1", PartyRole.Guest, "bank",
            [new JobParty("bank", PartyRole.Guest), new JobParty("h1", PartyRole.Host), new JobParty("h2", PartyRole.Host)], "name: t"));
        var run = new JobRun("job-1", store.Jobs);
        await run.MoveToAsync(JobState.Psi, CancellationToken.None);

        await using (var tracker = new PsiProgressTracker(run, hosts: 2))
        {
            tracker.Report(new PsiProgress("h1", PsiStage.OwnIds, 100, 100));
            tracker.Report(new PsiProgress("h1", PsiStage.PeerIds, 50, 100));
            tracker.Report(new PsiProgress("h2", PsiStage.OwnIds, 25, 100));
            Assert.Equal((1 + 0.5 + 0.25) / 4, tracker.Fraction, 9);
            Assert.Equal(0.4375, await StoredProgressAsync(store, until: p => p > 0));

            tracker.Report(new PsiProgress("h2", PsiStage.OwnIds, 0, 100));   // a lower figure is not written back
            await Task.Delay(1200);
            Assert.Equal(0.4375, (await store.Jobs.GetAsync("job-1"))!.Progress);
        }
    }

    private static async Task<double> StoredProgressAsync(VflStore store, Func<double, bool> until)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            double progress = (await store.Jobs.GetAsync("job-1"))!.Progress;
            if (until(progress) || DateTime.UtcNow > deadline)
                return progress;
            await Task.Delay(50);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
