using Grpc.Core;
using VerticalFL.Contracts.V1;
using VerticalFL.Storage;
using StoredState = VerticalFL.Storage.JobState;

namespace VerticalFL.IntegrationTests;

/// <summary>Three real processes, real mTLS: PSI + training + evaluation + prediction, and what lands in each store.</summary>
public sealed class FederationEndToEndTests
{
    private const string Training = """
          epochs: 3
          batch_size: -1
          learning_rate: 0.15
          optimizer: rmsprop
          key_bits: 2048
        """;

    [Fact]
    public async Task TrainingJob_SqliteStores_SucceedsAndRecordsJobIterationsModelsAndAudit()
    {
        using var federation = await RunningFederation.StartAsync();
        await RunAndCheckAsync(federation);
    }

    [Fact]
    [Trait("Category", "MySql")]
    public async Task TrainingJob_MariaDbGuestStore_SucceedsAndRecordsJobIterationsModelsAndAudit()
    {
        string store = await MariaDb.CreateDatabaseAsync();
        using var federation = await RunningFederation.StartAsync(guestStore: store);
        await RunAndCheckAsync(federation, store);
    }

    private static async Task RunAndCheckAsync(RunningFederation federation, string? store = null)
    {
        string jobId = await federation.SubmitAsync(RunningFederation.JobYaml(Training));
        var report = await federation.WaitAsync(jobId);

        Assert.True(report.Summary.State == "succeeded", $"job ended {report.Summary.State}: {report.Summary.Reason}\n{federation.Log("bank")}");
        Assert.Equal(federation.Files.SharedCustomers, report.Intersection);
        Assert.Equal(3, report.Epochs);
        Assert.InRange(report.Auc, 0.7, 1.0);   // the labels depend on both parties' features

        await using var guest = await OpenAsync(store ?? "sqlite:" + Path.Combine(federation.Directory, "bank", "vfl.db"));
        var job = await guest.Jobs.GetAsync(jobId);
        Assert.Equal(StoredState.Succeeded, job!.State);
        Assert.Equal(3, job.Participants.Count);
        var iterations = await guest.Iterations.ListAsync(jobId);
        Assert.True(iterations.Count >= 3, $"{iterations.Count} iteration rows");
        Assert.Contains(iterations, i => i.Loss is > 0);
        var guestModel = await guest.Models.GetLatestAsync(jobId, "bank");
        Assert.NotNull(guestModel);
        Assert.DoesNotContain("tel_x", guestModel!.Content);   // no host feature (or weight) in the guest's part
        var audit = await guest.Audit.ListAsync(jobId);
        Assert.Contains(audit, a => a.Peer == "telecom" && a.MessageType.StartsWith("vfl.v1.Psi", StringComparison.Ordinal));
        Assert.Contains(audit, a => a.Peer == "arbiter" && a.Direction == AuditDirection.Sent);

        await using var host = await OpenAsync("sqlite:" + Path.Combine(federation.Directory, "telecom", "vfl.db"));
        Assert.Equal(StoredState.Succeeded, (await host.Jobs.GetAsync(jobId))!.State);
        var hostModel = await host.Models.GetLatestAsync(jobId, "telecom");
        Assert.NotNull(hostModel);
        Assert.DoesNotContain("bank_x", hostModel!.Content);
        Assert.Null(await host.Models.GetLatestAsync(jobId, "bank"));

        var predicted = await federation.Operator.Operator.PredictAsync(new PredictRequest { ModelJobId = jobId },
            cancellationToken: new CancellationTokenSource(RunningFederation.JobTimeout).Token);
        Assert.Equal(federation.Files.SharedCustomers, predicted.Rows);
        var lines = File.ReadAllLines(predicted.OutputPath);
        Assert.Equal("id,probability,label", lines[0]);
        Assert.All(lines.Skip(1), line => Assert.InRange(double.Parse(line.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture), 0, 1));
    }

    [Fact]
    public async Task TrainingJob_TwoHosts_SucceedsWithEachHostHoldingOnlyItsOwnModelPart()
    {
        using var federation = await RunningFederation.StartAsync(rows: 300, hosts: 2);
        string jobId = await federation.SubmitAsync(RunningFederation.JobYaml(Training + "\n  early_stop: weight_diff",
            hosts: "telecom1: subscribers, telecom2: subscribers"));
        var report = await federation.WaitAsync(jobId);

        Assert.True(report.Summary.State == "succeeded", $"job ended {report.Summary.State}: {report.Summary.Reason}\n{federation.Log("bank")}");
        Assert.Equal(federation.Files.SharedCustomers, report.Intersection);   // shared by the guest and both hosts
        Assert.InRange(report.Auc, 0.7, 1.0);
        foreach (var (host, other) in new[] { ("telecom1", "telecom2"), ("telecom2", "telecom1") })
        {
            await using var store = await OpenAsync("sqlite:" + Path.Combine(federation.Directory, host, "vfl.db"));
            Assert.NotNull(await store.Models.GetLatestAsync(jobId, host));
            Assert.Null(await store.Models.GetLatestAsync(jobId, other));
        }
    }

    [Fact]
    public async Task Submit_BadTrainingParameter_IsRefusedAndStoresNoJob()
    {
        using var federation = await RunningFederation.StartAsync(rows: 100);
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            federation.SubmitAsync(RunningFederation.JobYaml("  optimizer: adamw")));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("optimizer", error.Status.Detail);
        var jobs = await federation.Operator.Operator.ListAsync(new ListJobsRequest());
        Assert.Empty(jobs.Jobs);
    }

    [Fact]
    public async Task TrainingJob_MalformedGuestCsv_FailsWithFileLineAndColumn()
    {
        using var federation = await RunningFederation.StartAsync(rows: 120);
        var lines = File.ReadAllLines(federation.Files.GuestPath);
        lines[5] = string.Join(',', lines[5].Split(',').Select((cell, i) => i == 3 ? "not-a-number" : cell));
        File.WriteAllLines(federation.Files.GuestPath, lines);

        string jobId = await federation.SubmitAsync(RunningFederation.JobYaml(Training));
        var report = await federation.WaitAsync(jobId);

        Assert.Equal("failed", report.Summary.State);
        Assert.Contains("guest.csv:6:", report.Summary.Reason);   // file line 6 = lines[5]
        Assert.Contains("not-a-number", report.Summary.Reason);
        Assert.Equal("", report.ModelPath);

        // The host and the arbiter store the guest's end, its details replaced by a reference (issue 14, items 3 and 9).
        var ends = await JobAgreement.EndsAsync(federation, jobId);
        Assert.Matches(@"^failed at the guest: data error at bank \(ref R-[0-9a-f]{8}\); bank's operator has the details in its log$", ends["telecom"].Reason);
        Assert.True(ends["telecom"] == ends["arbiter"] && ends["arbiter"].State == "failed", JobAgreement.Describe(ends));
        string reference = System.Text.RegularExpressions.Regex.Match(ends["telecom"].Reason, "R-[0-9a-f]{8}").Value;
        Assert.Contains($"{reference}: {report.Summary.Reason}", File.ReadAllText(federation.Federation.Process("bank").LogPath));
    }

    [Fact]
    public async Task TrainingJob_HostKilledMidTraining_FailsCleanlyAndResumesFromTheLastCheckpoint()
    {
        using var federation = await RunningFederation.StartAsync(rows: 600);
        string guestDb = "sqlite:" + Path.Combine(federation.Directory, "bank", "vfl.db");
        string hostDb = "sqlite:" + Path.Combine(federation.Directory, "telecom", "vfl.db");
        string jobId = await federation.SubmitAsync(RunningFederation.JobYaml(Training.Replace("epochs: 3", "epochs: 12")
            + "\n  early_stop: weight_diff\n  tol: 0"));
        await WaitForEpochAsync(guestDb, jobId, 2);
        await Task.Delay(300);   // into the next epoch, after every party saved its checkpoint
        federation.Federation.Process("telecom").Kill();

        var report = await federation.WaitAsync(jobId);
        Assert.Equal("failed", report.Summary.State);
        Assert.Contains("telecom", report.Summary.Reason);
        await using (var guest = await OpenAsync(guestDb))
            Assert.Null(await guest.Models.GetLatestAsync(jobId, "bank"));   // no partial model

        // The host comes back: its half-run job must not linger as running.
        using var restarted = Cli.Local.PartyProcess.Start("telecom", federation.Federation.ConfigPath("telecom"),
            Path.Combine(federation.Directory, "telecom-restarted.log"));
        await using (var host = await OpenAsync(hostDb))
        {
            var hostJob = await WaitForEndAsync(host, jobId);
            Assert.True(hostJob.State is StoredState.Failed or StoredState.Cancelled, $"host job is {hostJob.State}");
            Assert.False(string.IsNullOrEmpty(hostJob.Reason));
            Assert.Null(await host.Models.GetLatestAsync(jobId, "telecom"));
        }

        // Resuming continues every party from its last completed epoch and finishes the job.
        await Cli.Local.LocalFederation.WaitHealthyAsync(federation.Federation.ConfigPath("telecom"), restarted,
            DateTime.UtcNow.AddSeconds(60), CancellationToken.None);
        var previous = await federation.Operator.Operator.GetAsync(new JobRef { JobId = jobId });
        var spec = Party.Jobs.JobSpec.ParseYaml(previous.SpecYaml, "previous");
        spec.ResumeFrom = jobId;
        string resumed = await federation.SubmitAsync(spec.ToJson());
        var done = await federation.WaitAsync(resumed);
        Assert.True(done.Summary.State == "succeeded", $"resumed job {done.Summary.State}: {done.Summary.Reason}\n{federation.Log("bank")}");
        await using (var guest = await OpenAsync(guestDb))
        {
            var epochs = (await guest.Iterations.ListAsync(resumed)).Select(i => i.Epoch).ToList();
            Assert.True(epochs.Min() >= 2, $"the resumed job started at epoch {epochs.Min()}, not after the checkpoint");
            Assert.NotNull(await guest.Models.GetLatestAsync(resumed, "bank"));
        }
        Assert.InRange(done.Auc, 0.7, 1.0);
    }

    private static async Task WaitForEpochAsync(string store, string jobId, int epoch)
    {
        await using var guest = await OpenAsync(store);
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            var job = await guest.Jobs.GetAsync(jobId);
            if (job is { Epoch: var e } && e >= epoch) return;
            Assert.False(job?.State.IsTerminal() ?? false, $"job ended ({job?.State}: {job?.Reason}) before epoch {epoch}");
            await Task.Delay(50);
        }
        throw new TimeoutException($"job {jobId} never reached epoch {epoch}");
    }

    private static async Task<JobRecord> WaitForEndAsync(DisposableStore store, string jobId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JobRecord? job;
        while ((job = await store.Jobs.GetAsync(jobId))!.State is not (StoredState.Failed or StoredState.Cancelled or StoredState.Succeeded)
               && DateTime.UtcNow < deadline)
            await Task.Delay(250);
        return job;
    }

    private static async Task<DisposableStore> OpenAsync(string connection) => new(await VflStore.OpenAsync(connection));

    private sealed class DisposableStore(VflStore store) : IAsyncDisposable
    {
        public IJobStore Jobs => store.Jobs;
        public IIterationStore Iterations => store.Iterations;
        public IModelStore Models => store.Models;
        public IAuditStore Audit => store.Audit;
        public ValueTask DisposeAsync()
        {
            store.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
