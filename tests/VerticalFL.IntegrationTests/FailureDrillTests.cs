using VerticalFL.Contracts.V1;
using VerticalFL.Storage;

namespace VerticalFL.IntegrationTests;

/// <summary>
/// Issue 14 drills that take a party down, each on a federation of its own: what the guest's operator sees.
/// </summary>
public sealed class FailureDrillTests
{
    private const string LongTraining = "  epochs: 40\n  batch_size: -1\n  key_bits: 2048\n  early_stop: weight_diff\n  tol: 0";

    [Fact]
    public async Task HostSigterm_MidTraining_GuestOperatorSeesTheShutdownAndWhatToDo()
    {
        using var federation = await RunningFederation.StartAsync(rows: 300);
        string jobId = await federation.SubmitAsync(RunningFederation.JobYaml(LongTraining));
        await WaitForEpochAsync(federation, jobId, 1);

        federation.Federation.Process("telecom").Stop(TimeSpan.FromSeconds(20));   // SIGTERM: graceful shutdown
        var report = await federation.WaitAsync(jobId);

        Assert.Equal("failed", report.Summary.State);
        Assert.StartsWith("telecom failed: the party is shutting down", report.Summary.Reason);
        Assert.Contains("resubmit", report.Summary.Reason);
        Assert.DoesNotContain("subchannel", report.Summary.Reason);
        Assert.True(report.Epochs >= 1, $"the failed job's report says {report.Epochs} epochs");   // they ran and were checkpointed
        Assert.Equal(report.Epochs, report.LossHistory.Count);
        Assert.Contains($"Job {jobId} failed: the party is shutting down", File.ReadAllText(federation.Federation.Process("telecom").LogPath));

        // With the host down, the next submit fails within seconds, naming the host and the address tried.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => federation.SubmitAsync(RunningFederation.JobYaml(LongTraining)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"submit took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Matches(@"telecom did not take the proposal: telecom at 127\.0\.0\.1:\d+ is not reachable \(connection refused: nothing listens there\)", error.Status.Detail);
    }

    [Fact]
    public async Task GuestKilledAndRestarted_MidTraining_HostAndArbiterEndTheJobWithTheReason()
    {
        using var federation = await RunningFederation.StartAsync(rows: 300);
        string jobId = await federation.SubmitAsync(RunningFederation.JobYaml(LongTraining));
        await WaitForEpochAsync(federation, jobId, 1);

        federation.Federation.Process("bank").Kill();   // SIGKILL: the guest cannot tell anyone
        using var restarted = Cli.Local.PartyProcess.Start("bank", federation.Federation.GuestConfig,
            Path.Combine(federation.Directory, "bank-restarted.log"));

        // The parties' receive timeout is 120 s: ending well before it means the restarted guest told them.
        foreach (var party in new[] { "telecom", "arbiter" })
        {
            using var store = await VflStore.OpenAsync("sqlite:" + Path.Combine(federation.Directory, party, "vfl.db"));
            var deadline = DateTime.UtcNow.AddSeconds(45);
            JobRecord job;
            while (!(job = (await store.Jobs.GetAsync(jobId))!).State.IsTerminal() && DateTime.UtcNow < deadline)
                await Task.Delay(250);
            Assert.True(job.State.IsTerminal(), $"{party} still has the job in {job.State}");
            Assert.Contains("bank, the job's guest, restarted while the job was running", job.Reason);
        }
    }

    private static async Task WaitForEpochAsync(RunningFederation federation, string jobId, int epoch)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            var report = await federation.Operator.Operator.GetAsync(new JobRef { JobId = jobId });
            Assert.False(report.Summary.State is "failed" or "cancelled" or "succeeded", $"job ended ({report.Summary.State}: {report.Summary.Reason}) early");
            var progress = await ProgressAsync(federation, jobId);
            if (progress >= epoch) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"job {jobId} never reached epoch {epoch}");
    }

    private static async Task<int> ProgressAsync(RunningFederation federation, string jobId)
    {
        using var store = await VflStore.OpenAsync("sqlite:" + Path.Combine(federation.Directory, "bank", "vfl.db"));
        return (await store.Jobs.GetAsync(jobId))?.Epoch ?? 0;
    }
}
