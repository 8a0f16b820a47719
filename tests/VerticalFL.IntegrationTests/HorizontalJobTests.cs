using VerticalFL.Contracts.V1;
using VerticalFL.Ml.Data;
using VerticalFL.Ml.Metrics;
using VerticalFL.Protocol.Models;
using VerticalFL.Storage;

namespace VerticalFL.IntegrationTests;

/// <summary>
/// Issue 17: <c>kind: horizontal</c> jobs on the real services — guest, two hosts and the arbiter as four processes over
/// mTLS. The guest and the hosts are the arbiter's clients, each training on its own rows (a non-IID split by label).
/// </summary>
public sealed class HorizontalJobTests
{
    private const string Training = """
          model: logistic
          rounds: 6
          epochs_per_round: 2
          batch_size: 32
          learning_rate: 0.1
          aggregation: { method: fedavg }
          mode: sync
          min_participants: 2
          round_deadline_seconds: 30
        """;

    /// <summary>100 rounds of an MLP over ~800 rows per party: long enough to act on mid-job.</summary>
    private const string SlowTraining = """
          model: { mlp: { hidden: [48] } }
          rounds: 100
          epochs_per_round: 4
          batch_size: 8
          learning_rate: 0.02
          min_participants: 2
          round_deadline_seconds: 4
        """;

    [Fact]
    public async Task ThreeDataParties_AsyncFedBuffJob_SucceedsWithTheSameGlobalModelAtEveryParty()
    {
        using var federation = await RunningFederation.StartHorizontalAsync();
        string jobId = await federation.SubmitAsync(federation.HorizontalYaml(
            Training.Replace("mode: sync", "mode: { async: { method: fedbuff, buffer: 2, staleness_bound: 4 } }")));
        var report = await federation.WaitAsync(jobId);

        Assert.True(report.Summary.State == "succeeded", $"{report.Summary.State}: {report.Summary.Reason}\n{federation.Log("arbiter")}");
        var ends = await JobAgreement.EndsAsync(federation, jobId);
        Assert.All(ends.Values, end => Assert.Equal("succeeded", end.State));
        var models = federation.Federation.Parties
            .Select(p => ModelFile.LoadHorizontal(Path.Combine(federation.Directory, p, "jobs", jobId, "model.json"))).ToList();
        Assert.All(models, m => Assert.Equal(models[0].Weights, m.Weights));
        // The asynchronously built model scores held-out rows as well as a synchronous one would.
        await AssertHeldOutAucAsync(federation, jobId);
    }

    [Fact]
    public async Task ThreeDataParties_SyncJob_SucceedsWithTheSameGlobalModelAtEveryParty()
    {
        using var federation = await RunningFederation.StartHorizontalAsync();
        string jobId = await federation.SubmitAsync(federation.HorizontalYaml(Training));
        var report = await federation.WaitAsync(jobId);

        Assert.True(report.Summary.State == "succeeded", $"{report.Summary.State}: {report.Summary.Reason}\n{federation.Log("arbiter")}");
        Assert.Equal(6, report.Epochs);
        Assert.Equal(6, report.LossHistory.Count);
        Assert.True(report.LossHistory[^1] < report.LossHistory[0], $"loss by round: {string.Join(", ", report.LossHistory)}");
        Assert.True(report.Auc > 0.75, $"pooled validation AUC {report.Auc}");

        // Every party ended the job alike and holds the same global model, as a file and in its store.
        var ends = await JobAgreement.EndsAsync(federation, jobId);
        Assert.All(ends.Values, end => Assert.Equal("succeeded", end.State));
        var models = federation.Federation.Parties
            .Select(p => ModelFile.LoadHorizontal(Path.Combine(federation.Directory, p, "jobs", jobId, "model.json"))).ToList();
        Assert.All(models, m => Assert.Equal(models[0].Weights, m.Weights));
        Assert.Equal(["x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7"], models[0].Columns);
        foreach (var party in federation.Federation.Parties)
        {
            using var store = await VflStore.OpenAsync("sqlite:" + Path.Combine(federation.Directory, party, "vfl.db"));
            var stored = await store.Models.GetLatestAsync(jobId, party);
            Assert.Equal(ModelFile.HorizontalFormat, stored!.Format);
            var rounds = await store.Iterations.ListAsync(jobId);
            Assert.Equal(Enumerable.Range(0, 6), rounds.Select(r => r.Epoch));   // round k is iteration k − 1
            Assert.All(rounds.Skip(1), r => Assert.NotNull(r.Auc));
        }
        // The audit trail (each party records what it sent): the arbiter the model of every round and the final one to each
        // client, each client one update per round to the arbiter.
        foreach (var party in federation.Federation.Parties)
        {
            using var store = await VflStore.OpenAsync("sqlite:" + Path.Combine(federation.Directory, party, "vfl.db"));
            var sent = (await store.Audit.ListAsync(jobId)).Where(a => a.Direction == AuditDirection.Sent).ToList();
            if (party == "arbiter")
                Assert.Equal(7 * 3, sent.Count(a => a.MessageType == "vfl.v1.GlobalModel"));
            else
                Assert.Equal(6, sent.Count(a => a.MessageType == "vfl.v1.ClientUpdate" && a.Peer == "arbiter"));
        }

        // vfl predict scores held-out rows with the model alone (no other party involved).
        await AssertHeldOutAucAsync(federation, jobId);
    }

    /// <summary>`vfl predict` with the guest's copy of the global model scores every held-out row, at AUC above 0.75.</summary>
    private static async Task AssertHeldOutAucAsync(RunningFederation federation, string jobId)
    {
        string scores = Path.Combine(federation.Directory, $"scores-{jobId}.csv");
        var (code, output, error) = await Vfl.RunAsync(["predict", "--model", Path.Combine(federation.Directory, "bank", "jobs", jobId, "model.json"),
            "--data", federation.TestPath, "--out", scores]);
        Assert.True(code == 0, output + error);
        var test = CsvDatasetReader.Read(federation.TestPath, new CsvReadOptions { LabelColumn = "y" }).Dataset;
        var probabilities = File.ReadLines(scores).Skip(1).Select(l => double.Parse(l.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(test.Rows, probabilities.Length);
        Assert.True(BinaryMetrics.Auc(probabilities, test.Labels!) > 0.75, output);
    }

    [Fact]
    public async Task HostKilledMidJob_RoundsGoOnWithoutIt_AndTheJobSucceeds()
    {
        using var federation = await RunningFederation.StartHorizontalAsync(rows: 3000);
        string jobId = await federation.SubmitAsync(federation.HorizontalYaml(SlowTraining));
        await WaitForRoundAsync(federation, jobId, 2);
        string killed = federation.Federation.Hosts[1];
        federation.Federation.Process(killed).Kill();   // SIGKILL: it tells no one
        var report = await federation.WaitAsync(jobId);

        Assert.True(report.Summary.State == "succeeded", $"{report.Summary.State}: {report.Summary.Reason}\n{federation.Log("arbiter")}");
        Assert.Equal(100, report.Epochs);
        using var store = await VflStore.OpenAsync("sqlite:" + Path.Combine(federation.Directory, "arbiter", "vfl.db"));
        var rounds = await store.Iterations.ListAsync(jobId);
        Assert.Equal(Enumerable.Range(0, 100), rounds.Select(r => r.Epoch));
        // The guest's, the other host's and the arbiter's ends agree; the killed host's process is gone.
        var ends = await JobAgreement.EndsAsync(federation, jobId, parties: ["bank", federation.Federation.Hosts[0], "arbiter"]);
        Assert.All(ends.Values, end => Assert.Equal("succeeded", end.State));
        // The arbiter left the killed host out of the rounds after the kill, and says so.
        Assert.Contains($"{killed} left out from round", ends["arbiter"].Reason);
        Assert.DoesNotContain($"{federation.Federation.Hosts[0]} left out", ends["arbiter"].Reason);
        Assert.Contains($"left out {killed}", File.ReadAllText(federation.Federation.Process("arbiter").LogPath));
    }

    [Fact]
    public async Task Cancelled_EveryPartyStoresIt_ThenResume_ContinuesFromTheArbitersLastRound()
    {
        using var federation = await RunningFederation.StartHorizontalAsync(rows: 3000);
        string jobId = await federation.SubmitAsync(federation.HorizontalYaml(SlowTraining));
        await WaitForRoundAsync(federation, jobId, 3);

        // As vfl job cancel does (the operator RPC at once: a CLI process start could outlast a fast machine's rounds).
        await federation.Operator.Operator.CancelAsync(new CancelJobRequest { JobId = jobId, Reason = "wrong rounds" });
        var ends = await JobAgreement.EndsAsync(federation, jobId);
        JobAgreement.AssertSame(ends, "cancelled", "cancelled by the guest's operator: wrong rounds");
        Assert.False(File.Exists(Path.Combine(federation.Directory, "arbiter", "jobs", jobId, "model.json")));   // no partial model
        int checkpointed;
        using (var store = await VflStore.OpenAsync("sqlite:" + Path.Combine(federation.Directory, "arbiter", "vfl.db")))
            checkpointed = (await store.Checkpoints.LoadLatestAsync(jobId, "arbiter"))!.Epoch;
        Assert.True(checkpointed >= 3, $"the arbiter's last checkpoint is of round {checkpointed}");

        var (code, output, error) = await Vfl.RunAsync(["job", "resume", "--config", federation.Federation.GuestConfig, jobId, "--wait"], TimeSpan.FromMinutes(4));
        Assert.True(code == 0, $"exit {code}: {output}{error}");
        string resumed = (await federation.Operator.Operator.ListAsync(new ListJobsRequest())).Jobs.Select(j => j.JobId).First(id => id != jobId);
        using var arbiter = await VflStore.OpenAsync("sqlite:" + Path.Combine(federation.Directory, "arbiter", "vfl.db"));
        var rounds = await arbiter.Iterations.ListAsync(resumed);
        // The resumed job ran only the rounds after the checkpoint, from its model.
        Assert.Equal(Enumerable.Range(checkpointed, 100 - checkpointed), rounds.Select(r => r.Epoch));   // rounds checkpointed + 1 … 100
        var guestRounds = await federation.Operator.Operator.GetAsync(new JobRef { JobId = resumed });
        Assert.Equal("succeeded", guestRounds.Summary.State);
        Assert.Equal(100, guestRounds.Epochs);
    }

    [Fact]
    public async Task HostApproval_Applies_ThenMismatchedColumns_RefusedBeforeRoundOne_WithTheMismatchNamed()
    {
        using var federation = await RunningFederation.StartHorizontalAsync(rows: 300, editData: files =>
        {
            // The second host's file has x3 and x4 swapped.
            var lines = File.ReadAllLines(files.HostPaths[1]);
            lines[0] = lines[0].Replace("x3,x4", "x4,x3");
            File.WriteAllLines(files.HostPaths[1], lines);
        }, beforeStart: f => File.AppendAllText(f.ConfigPath(f.Hosts[0]), "policy:\n  require_approval: true\n  approval_timeout_seconds: 120\n"));
        string jobId = await federation.SubmitAsync(federation.HorizontalYaml(Training));

        // The first host's policy holds the job until its operator approves, as for any job.
        string approver = federation.Federation.Hosts[0];
        var pending = await federation.Operator.Operator.GetAsync(new JobRef { JobId = jobId });
        Assert.Equal(("pending", $"awaiting approval by {approver}'s operator (host policy.require_approval)"), (pending.Summary.State, pending.Summary.Reason));
        using (var hostOperator = Cli.Operator.OperatorConnection.Open(federation.Federation.ConfigPath(approver), TimeSpan.FromMinutes(1)))
            await hostOperator.HostOperator.ApproveAsync(new JobDecision { JobId = jobId });
        var report = await federation.WaitAsync(jobId);

        Assert.Equal("failed", report.Summary.State);
        Assert.Contains("feature columns differ", report.Summary.Reason);
        Assert.Contains($"{federation.Federation.Hosts[1]} has 'x4' where bank has 'x3' (same names, different order)", report.Summary.Reason);
        Assert.Equal(0, report.Epochs);
    }

    [Fact]
    public async Task HostsFileUnreadable_JobRefusedAtOnce_TheHostsOperatorSeesTheLineTheOthersDoNot()
    {
        using var federation = await RunningFederation.StartHorizontalAsync(rows: 300, editData: files =>
        {
            var lines = File.ReadAllLines(files.HostPaths[0]);
            lines[5] = string.Join(',', lines[5].Split(',').Select((cell, i) => i == 3 ? "n/a" : cell));
            File.WriteAllLines(files.HostPaths[0], lines);
        });
        string jobId = await federation.SubmitAsync(federation.HorizontalYaml(Training));
        var report = await federation.WaitAsync(jobId);

        string host = federation.Federation.Hosts[0];
        Assert.Equal("failed", report.Summary.State);
        Assert.Contains($"{host} cannot take part: its data could not be read", report.Summary.Reason);
        Assert.DoesNotContain(".csv", report.Summary.Reason);   // the host's path stays with the host
        var ends = await JobAgreement.EndsAsync(federation, jobId, parties: [host]);
        Assert.Contains($"{Path.GetFileName(federation.Files.HostPaths[0])}:6: column 4 ('x1'): 'n/a' is not a number", ends[host].Reason);
    }

    private static async Task WaitForRoundAsync(RunningFederation federation, string jobId, int round)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            var report = await federation.Operator.Operator.GetAsync(new JobRef { JobId = jobId });
            Assert.False(report.Summary.State is "failed" or "cancelled" or "succeeded", $"job ended ({report.Summary.State}: {report.Summary.Reason}) early");
            if (report.Epochs >= round) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"job {jobId} never reached round {round}");
    }
}
