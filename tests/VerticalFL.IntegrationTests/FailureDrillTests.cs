using System.Diagnostics;
using System.Text.RegularExpressions;
using VerticalFL.Cli.Local;
using VerticalFL.Contracts.V1;
using VerticalFL.Storage;
using End = VerticalFL.IntegrationTests.JobAgreement.End;

namespace VerticalFL.IntegrationTests;

/// <summary>
/// Issue 14 drills that take a party down, each on a federation of its own: what the guest's operator sees, and that
/// every party ends each job in the same state with the same reason (<see cref="JobAgreement"/>). The drills that
/// leave every party running (cancel, predict job end, typo'd spec, port in use, swapped peers) are in
/// <see cref="OperatingTests"/>.
/// </summary>
public sealed class FailureDrillTests
{
    private const string LongTraining = "  epochs: 200\n  batch_size: -1\n  key_bits: 2048\n  early_stop: weight_diff\n  tol: 0";
    private const int Watchdog = 20;

    [Fact]
    public async Task HostSigterm_MidTraining_GuestOperatorSeesTheShutdownAndEveryPartyStoresIt()
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

        // The host stored its own cause; the guest and the arbiter the same cause, attributed to the host.
        var ends = await JobAgreement.EndsAsync(federation, jobId);
        Assert.Equal("failed", ends["telecom"].State);
        Assert.StartsWith("the party is shutting down", ends["telecom"].Reason);
        var shared = new End("failed", "telecom failed: " + ends["telecom"].Reason);
        Assert.True(ends["bank"] == shared && ends["arbiter"] == shared, JobAgreement.Describe(ends));

        // With the host down, the next submit fails within seconds, naming the host and the address tried; the arbiter
        // (asked only once every host has accepted) never hears of that job.
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => federation.SubmitAsync(RunningFederation.JobYaml(LongTraining)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"submit took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Matches(@"telecom did not take the proposal: telecom at 127\.0\.0\.1:\d+ is not reachable \(connection refused: nothing listens there\)", error.Status.Detail);
        string refused = Regex.Match(error.Status.Detail, @"job (job-[0-9a-z-]+) failed").Groups[1].Value;
        ends = await JobAgreement.EndsAsync(federation, refused);
        Assert.Equal("failed", ends["bank"].State);
        Assert.StartsWith("telecom did not take the proposal", ends["bank"].Reason);
        Assert.True(ends["telecom"] == JobAgreement.Absent && ends["arbiter"] == JobAgreement.Absent, JobAgreement.Describe(ends));
    }

    [Fact]
    public async Task GuestKilledAndRestarted_MidTraining_HostAndArbiterStoreTheGuestsEnd()
    {
        using var federation = await RunningFederation.StartAsync(rows: 300);
        string jobId = await federation.SubmitAsync(RunningFederation.JobYaml(LongTraining));
        await WaitForEpochAsync(federation, jobId, 1);

        federation.Federation.Process("bank").Kill();   // SIGKILL: the guest cannot tell anyone
        using var restarted = PartyProcess.Start("bank", federation.Federation.GuestConfig, Path.Combine(federation.Directory, "bank-restarted.log"));
        await LocalFederation.WaitHealthyAsync(federation.Federation.GuestConfig, restarted, DateTime.UtcNow.AddSeconds(150), CancellationToken.None);

        // The restarted guest fails the job and tells the others (their watchdog, 600 s here, has not fired).
        var ends = await JobAgreement.EndsAsync(federation, jobId, TimeSpan.FromSeconds(60));
        Assert.Equal("failed", ends["bank"].State);
        Assert.StartsWith("the party restarted while the job was running (it was in state training)", ends["bank"].Reason);
        var told = new End("failed", "failed at the guest: " + ends["bank"].Reason);
        Assert.True(ends["telecom"] == told && ends["arbiter"] == told, JobAgreement.Describe(ends));
    }

    [Fact]
    public async Task GuestKilledNotRestarted_HostAndArbiterFailTheJobOnTheirWatchdogButNotWhileTheGuestLives()
    {
        using var federation = await RunningFederation.StartAsync(rows: 300, beforeStart: f =>
        {
            foreach (var party in new[] { "telecom", "arbiter" })
                File.AppendAllText(f.ConfigPath(party), $"watchdog_seconds: {Watchdog}\n");
        });
        string jobId = await federation.SubmitAsync(RunningFederation.JobYaml(LongTraining));
        await WaitForEpochAsync(federation, jobId, 1);

        // A job that runs longer than the watchdog period is not ended by it: the guest's status calls keep it alive.
        await Task.Delay(TimeSpan.FromSeconds(Watchdog + 3));
        foreach (var party in new[] { "telecom", "arbiter" })
        {
            var seen = await JobAgreement.SeenAsync(federation, party, jobId);
            Assert.True(seen.State is "psi" or "training", $"{party}: {seen} after {Watchdog + 3} s of a live job");
        }

        // SIGKILL and no restart: each fails the job on its own watchdog, saying so, with the same reason.
        federation.Federation.Process("bank").Kill();
        var clock = Stopwatch.StartNew();
        var ends = await JobAgreement.EndsAsync(federation, jobId, TimeSpan.FromSeconds(Watchdog * 4), ["telecom", "arbiter"]);
        foreach (var (party, end) in ends)
        {
            Assert.Equal("failed", end.State);
            Assert.StartsWith($"nothing heard from the job's guest bank for {Watchdog} s (watchdog_seconds): it stopped or is cut off", end.Reason);
        }
        Assert.True(clock.Elapsed > TimeSpan.FromSeconds(Watchdog - 4), $"ended {clock.Elapsed.TotalSeconds:0.0} s after the guest died");
        Assert.Equal(ends["telecom"], ends["arbiter"]);
        Assert.Contains($"Job {jobId}: nothing heard from the job's guest bank", File.ReadAllText(federation.Federation.Process("telecom").LogPath));

        // When the guest is back, it fails its side too: every party has the job failed.
        using var restarted = PartyProcess.Start("bank", federation.Federation.GuestConfig, Path.Combine(federation.Directory, "bank-restarted.log"));
        await LocalFederation.WaitHealthyAsync(federation.Federation.GuestConfig, restarted, DateTime.UtcNow.AddSeconds(150), CancellationToken.None);
        ends = await JobAgreement.EndsAsync(federation, jobId);
        Assert.True(ends.Values.All(end => end.State == "failed"), JobAgreement.Describe(ends));
    }

    private static async Task WaitForEpochAsync(RunningFederation federation, string jobId, int epoch)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            var report = await federation.Operator.Operator.GetAsync(new JobRef { JobId = jobId });
            Assert.False(report.Summary.State is "failed" or "cancelled" or "succeeded", $"job ended ({report.Summary.State}: {report.Summary.Reason}) early");
            if (report.Epochs >= epoch) return;
            await Task.Delay(200);
        }
        throw new TimeoutException($"job {jobId} never reached epoch {epoch}");
    }
}
