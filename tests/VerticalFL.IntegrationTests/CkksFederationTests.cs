using VerticalFL.Cli.Local;
using VerticalFL.Storage;
using StoredState = VerticalFL.Storage.JobState;

namespace VerticalFL.IntegrationTests;

/// <summary>
/// <c>training.encryption: ckks</c> across three (or four) real processes over mTLS: one and two hosts, resume after
/// a killed host, a job over its flooding budget refused with the numbers, and the CLI's --encryption option.
/// CKKS parameters are the job's fixed N = 8192 {60, 60, 60}; the data are a few hundred rows, so a job runs in seconds.
/// </summary>
public sealed class CkksFederationTests
{
    private const string Training = """
          encryption: ckks
          epochs: 3
          batch_size: -1
          learning_rate: 0.15
          optimizer: rmsprop
        """;

    [Fact]
    public async Task CkksJob_OneHost_SucceedsWithLossesAndAModelAtEachParty()
    {
        using var federation = await RunningFederation.StartAsync(rows: 400);
        string jobId = await federation.SubmitAsync(RunningFederation.JobYaml(Training));
        var report = await federation.WaitAsync(jobId);

        Assert.True(report.Summary.State == "succeeded", $"job ended {report.Summary.State}: {report.Summary.Reason}\n{federation.Log("bank")}");
        Assert.Equal(3, report.Epochs);
        Assert.InRange(report.Auc, 0.7, 1.0);
        await using var guest = await StoreAsync(federation, "bank");
        var iterations = await guest.Iterations.ListAsync(jobId);
        var losses = iterations.Where(i => i.Loss is not null).OrderBy(i => i.Epoch).Select(i => i.Loss!.Value).ToList();
        Assert.True(losses.Count >= 3, $"{losses.Count} losses recorded");
        Assert.All(losses, l => Assert.True(l > 0 && double.IsFinite(l), $"loss {l}"));
        Assert.True(losses[^1] < losses[0], $"the loss did not fall: {string.Join(", ", losses)}");
        Assert.NotNull(await guest.Models.GetLatestAsync(jobId, "bank"));
        await using var host = await StoreAsync(federation, "telecom");
        Assert.NotNull(await host.Models.GetLatestAsync(jobId, "telecom"));
    }

    /// <summary>
    /// 250 host features: the host's release request per batch is 250 × 131,088 bytes = 32.8 MB, which as one message
    /// ran into the arbiter's Kestrel body cap (30,000,000 bytes) and failed the job with "Unknown Exception". Sent in
    /// chunks of ≤ 31 values (≤ 4 MiB) it succeeds, and the model has all 250 host weights.
    /// </summary>
    [Fact]
    public async Task CkksJob_AHostWith250Features_SendsItsReleasesInChunksAndSucceeds()
    {
        using var federation = await RunningFederation.StartAsync(rows: 300, hostFeatures: 250);
        string jobId = await federation.SubmitAsync(RunningFederation.JobYaml(Training.Replace("epochs: 3", "epochs: 2")));
        var report = await federation.WaitAsync(jobId);

        Assert.True(report.Summary.State == "succeeded", $"job ended {report.Summary.State}: {report.Summary.Reason}\n{federation.Log("bank")}");
        Assert.Equal(2, report.Epochs);
        await using var host = await StoreAsync(federation, "telecom");
        var model = await host.Models.GetLatestAsync(jobId, "telecom");
        Assert.NotNull(model);
        Assert.Contains("\"tel_x249\"", model!.Content);
    }

    [Fact]
    public async Task CkksJob_TwoHosts_SucceedsWithEachHostHoldingOnlyItsOwnPart()
    {
        using var federation = await RunningFederation.StartAsync(rows: 300, hosts: 2);
        string jobId = await federation.SubmitAsync(RunningFederation.JobYaml(Training + "\n  early_stop: weight_diff",
            hosts: "telecom1: subscribers, telecom2: subscribers"));
        var report = await federation.WaitAsync(jobId);

        Assert.True(report.Summary.State == "succeeded", $"job ended {report.Summary.State}: {report.Summary.Reason}\n{federation.Log("bank")}");
        Assert.InRange(report.Auc, 0.7, 1.0);
        foreach (var (host, other) in new[] { ("telecom1", "telecom2"), ("telecom2", "telecom1") })
        {
            await using var store = await StoreAsync(federation, host);
            Assert.NotNull(await store.Models.GetLatestAsync(jobId, host));
            Assert.Null(await store.Models.GetLatestAsync(jobId, other));
        }
    }

    [Fact]
    public async Task CkksJob_HostKilled_ResumesFromTheLastCheckpointUnderANewKey()
    {
        using var federation = await RunningFederation.StartAsync(rows: 600);
        // Six batches an epoch; the host dies about 40 % into an epoch, so every party's last checkpoint is the same epoch.
        string jobId = await federation.SubmitAsync(RunningFederation.JobYaml(Training.Replace("epochs: 3", "epochs: 40")
            .Replace("batch_size: -1", "batch_size: 100") + "\n  early_stop: weight_diff\n  tol: 0"));
        await WaitForEpochAsync(federation, jobId, 2);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await WaitForEpochAsync(federation, jobId, 3);
        await Task.Delay(clock.Elapsed * 0.4);
        federation.Federation.Process("telecom").Kill();
        var failed = await federation.WaitAsync(jobId);
        Assert.Equal("failed", failed.Summary.State);

        using var restarted = PartyProcess.Start("telecom", federation.Federation.ConfigPath("telecom"),
            Path.Combine(federation.Directory, "telecom-restarted.log"));
        await LocalFederation.WaitHealthyAsync(federation.Federation.ConfigPath("telecom"), restarted, DateTime.UtcNow.AddSeconds(60), CancellationToken.None);
        var previous = await federation.Operator.Operator.GetAsync(new Contracts.V1.JobRef { JobId = jobId });
        var spec = Party.Jobs.JobSpec.ParseYaml(previous.SpecYaml, "previous");
        spec.ResumeFrom = jobId;
        string resumed = await federation.SubmitAsync(spec.ToJson());
        var done = await federation.WaitAsync(resumed);

        Assert.True(done.Summary.State == "succeeded", $"resumed job {done.Summary.State}: {done.Summary.Reason}\n{federation.Log("bank")}");
        await using var guest = await StoreAsync(federation, "bank");
        var epochs = (await guest.Iterations.ListAsync(resumed)).Select(i => i.Epoch).ToList();
        Assert.True(epochs.Min() >= 2, $"the resumed job started at epoch {epochs.Min()}, not after the checkpoint");
        Assert.Equal(40, epochs.Max()); // the store numbers epochs from 1
        Assert.InRange(done.Auc, 0.7, 1.0);
    }

    /// <summary>
    /// 3 epochs × 1 batch × (guest features + intercept + host features + 1 loss) releases against a budget of 20:
    /// refused before any epoch, with both numbers in the job's reason.
    /// </summary>
    [Fact]
    public async Task CkksJob_OverItsFloodingBudget_IsRefusedWithTheNumbersBeforeTraining()
    {
        using var federation = await RunningFederation.StartAsync(rows: 200);
        string jobId = await federation.SubmitAsync(RunningFederation.JobYaml(Training + "\n  ckks_max_releases: 20"));
        var report = await federation.WaitAsync(jobId);

        Assert.Equal("failed", report.Summary.State);
        var needed = System.Text.RegularExpressions.Regex.Match(report.Summary.Reason, @"needs (\d+) flooded releases \(3 epochs × 1 batches × (\d+) values per batch");
        Assert.True(needed.Success, report.Summary.Reason);
        Assert.Equal(3 * int.Parse(needed.Groups[2].Value), int.Parse(needed.Groups[1].Value));
        Assert.True(int.Parse(needed.Groups[1].Value) > 20);
        Assert.Contains("ckks_max_releases = 20", report.Summary.Reason);
        await using var guest = await StoreAsync(federation, "bank");
        Assert.Empty(await guest.Iterations.ListAsync(jobId));
        Assert.Null(await guest.Models.GetLatestAsync(jobId, "bank"));
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("run")]
    [InlineData("bench lr")]
    public async Task EncryptionOption_UnknownScheme_ExitsTwoNamingTheOptionAndTheAllowedValues(string command)
    {
        string[] arguments = [.. command.Split(' '), "--encryption", "rsa",
            .. command switch { "run" => ["--guest-data", "g.csv", "--host-data", "h.csv"], "bench lr" => ["--dataset", "breast"], _ => Array.Empty<string>() }];
        var start = PartyProcess.SelfCommand(arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = System.Diagnostics.Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(1)).Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--encryption", await error);
        Assert.Contains("'rsa'", await error);
        Assert.Contains("paillier, ckks", await error);
    }

    private static async Task WaitForEpochAsync(RunningFederation federation, string jobId, int epoch)
    {
        await using var guest = await StoreAsync(federation, "bank");
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            var job = await guest.Jobs.GetAsync(jobId);
            if (job is { Epoch: var e } && e >= epoch) return;
            Assert.False(job?.State.IsTerminal() ?? false, $"job ended ({job?.State}: {job?.Reason}) before epoch {epoch}");
            await Task.Delay(20);
        }
        throw new TimeoutException($"job {jobId} never reached epoch {epoch}");
    }

    private static async Task<Store> StoreAsync(RunningFederation federation, string party) =>
        new(await VflStore.OpenAsync("sqlite:" + Path.Combine(federation.Directory, party, "vfl.db")));

    private sealed class Store(VflStore store) : IAsyncDisposable
    {
        public IJobStore Jobs => store.Jobs;
        public IIterationStore Iterations => store.Iterations;
        public IModelStore Models => store.Models;
        public ValueTask DisposeAsync()
        {
            store.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
