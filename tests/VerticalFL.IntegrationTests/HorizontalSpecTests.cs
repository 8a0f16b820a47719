using VerticalFL.Ml.Data;
using VerticalFL.Party.Jobs;
using VerticalFL.Protocol.Horizontal;

namespace VerticalFL.IntegrationTests;

/// <summary>Issue 17: a <c>kind: horizontal</c> spec, and its errors named like the vertical spec's (file:line:column, key, allowed).</summary>
public sealed class HorizontalSpecTests
{
    // Line 8 of Spec(…) is the one under test.
    private static string Spec(string trainingLine) => $"""
        name: h
        kind: horizontal
        data: {'{'} bank_a: customers, bank_b: customers, bank_c: customers {'}'}
        aggregator: arbiter
        training:
          rounds: 5
          model: logistic
          {trainingLine}
        """;

    [Fact]
    public void ParseYaml_TheIssuesShape_GivesEveryParameter()
    {
        var spec = JobSpecCheck.ParseYaml("""
            kind: horizontal
            data: { bank_a: customers, bank_b: customers2, bank_c: customers }
            aggregator: arb
            training:
              model: { mlp: { hidden: [32, 16] } }
              rounds: 50
              epochs_per_round: 2
              batch_size: 64
              learning_rate: 0.05
              aggregation: { method: fedopt, mu: 0.01, server_optimizer: yogi, server_learning_rate: 0.2, tau: 1e-3 }
              mode: sync
              min_participants: 2
              max_participants: 3
              round_deadline_seconds: 120
            """, "job.yaml");
        var p = HorizontalTraining.Parameters(spec);

        Assert.Equal(JobKinds.Horizontal, spec.Kind);
        Assert.Equal("arb", spec.Arbiter);
        Assert.Equal("customers2", spec.Data.Parties["bank_b"]);
        Assert.Equal([32, 16], p.Hidden);
        Assert.Equal((50, 2, 64, 0.05), (p.Rounds, p.EpochsPerRound, p.BatchSize, p.LearningRate));
        Assert.Equal(AggregationMethod.FedOpt, p.Aggregation.Method);
        Assert.Equal(ServerOptimizer.Yogi, p.Aggregation.ServerOptimizer);
        Assert.Equal((0.2, 1e-3), (p.Aggregation.ServerLearningRate, p.Aggregation.Tau));
        Assert.Equal((HorizontalMode.Sync, 2, 3), (p.Mode, p.MinParticipants, p.MaxParticipants));
        Assert.Equal(TimeSpan.FromSeconds(120), p.RoundDeadline);

        // The guest runs it with its own source as data.guest and the others as hosts; the hosts read the same back.
        var resolved = spec.ForGuest("bank_b");
        Assert.Equal("customers2", resolved.Data.Guest);
        Assert.Equal(["bank_a", "bank_c"], resolved.HostIds.Order());
        var sent = JobSpec.FromJson(resolved.ToJson(), "proposal");
        Assert.Equal(resolved.Data.Hosts, sent.Data.Hosts);
        Assert.Equal(p.Hidden, HorizontalTraining.Parameters(sent).Hidden);
    }

    [Theory]
    [InlineData("mode: async", HorizontalMode.FedAsync, 1)]
    [InlineData("mode: { async: { method: fedbuff, buffer: 2, staleness_bound: 3 } }", HorizontalMode.FedBuff, 2)]
    public void ParseYaml_AsyncMode_PicksFedAsyncOrFedBuff(string line, HorizontalMode mode, int buffer)
    {
        var p = HorizontalTraining.Parameters(JobSpecCheck.ParseYaml(Spec(line), "job.yaml"));
        Assert.Equal(mode, p.Mode);
        Assert.Equal(mode == HorizontalMode.FedBuff ? buffer : 3, p.Async.Buffer);
        Assert.Equal(0, p.Async.Updates);   // rounds × clients
    }

    [Theory]
    [InlineData("rounds: 0", "job.yaml:6:11: training.rounds: must be at least 1; got 0.")]
    [InlineData("aggregation: { method: fedadm }", "job.yaml:8:26: training.aggregation.method: 'fedadm' is not allowed; did you mean 'fedavg'? Allowed: fedavg, fedprox, fednova, fedopt.")]
    [InlineData("epoch_per_round: 2", "job.yaml:8:3: training.epoch_per_round: unknown parameter; did you mean 'epochs_per_round'? Allowed: ")]
    [InlineData("batch_size: many", "job.yaml:8:15: training.batch_size: 'many' is not a whole number.")]
    [InlineData("mode: { async: { staleness_penalty: cubic } }", "job.yaml:8:39: training.mode.async.staleness_penalty: 'cubic' is not allowed")]
    [InlineData("min_participants: 4", "job.yaml:8:21: training.min_participants: the job has 3 data parties; got 4.")]
    [InlineData("max_participants: 1", "job.yaml:8:21: training.max_participants: must be 0 (all) or ≥ min_participants (2); got 1.")]
    [InlineData("aggregation: { server_optimizer: adamw }", "job.yaml:8:36: training.aggregation.server_optimizer: 'adamw' is not allowed; did you mean 'adam'? Allowed: adam, yogi, adagrad.")]
    public void ParseYaml_BadTrainingLine_SaysWhereWhatAndWhatIsAllowed(string line, string expected)
    {
        string yaml = line.StartsWith("rounds", StringComparison.Ordinal) ? Spec("").Replace("rounds: 5", line) : Spec(line);
        var error = Assert.Throws<BadInputException>(() => JobSpecCheck.ParseYaml(yaml, "job.yaml"));
        Assert.StartsWith(expected, error.Message);
        Assert.DoesNotContain("System.", error.Message);
    }

    [Fact]
    public void ParseYaml_LogisticWithHiddenLayers_IsRefusedAtTheModelKey()
    {
        var error = Assert.Throws<BadInputException>(() => JobSpecCheck.ParseYaml(
            Spec("").Replace("model: logistic", "model: logistic\n  mlp_hidden: 3"), "job.yaml"));
        Assert.Contains("training.mlp_hidden: unknown parameter", error.Message);
    }

    [Fact]
    public void ParseYaml_UnknownTopLevelKey_ListsTheHorizontalKeys()
    {
        var error = Assert.Throws<BadInputException>(() => JobSpecCheck.ParseYaml(Spec("").Replace("aggregator: arbiter", "agregator: arbiter"), "job.yaml"));
        Assert.StartsWith("job.yaml:4:1: unknown key 'agregator'; did you mean 'aggregator'?", error.Message);
        Assert.Contains("label_column", error.Message);
    }

    [Fact]
    public void ParseYaml_OneParty_IsRefused()
    {
        var error = Assert.Throws<BadInputException>(() => JobSpecCheck.ParseYaml(
            Spec("").Replace("bank_a: customers, bank_b: customers, bank_c: customers", "bank_a: customers"), "job.yaml"));
        Assert.Contains("data needs at least two data parties", error.Message);
    }

    [Fact]
    public void ForGuest_AGuestNotAmongTheParties_IsNamed()
    {
        var spec = JobSpecCheck.ParseYaml(Spec(""), "job.yaml");
        var error = Assert.Throws<BadInputException>(() => spec.ForGuest("bank_z"));
        Assert.Contains("'bank_z'", error.Message);
        Assert.Contains("bank_a, bank_b, bank_c", error.Message);
    }

    [Fact]
    public void SpecsWrittenAsJson_ReadBackAsYaml_AsVflJobResumeSubmitsThem()
    {
        var vertical = JobSpecCheck.ParseYaml("""
            name: v
            data: { guest: customers, hosts: { telecom: subscribers } }
            training: { epochs: 3 }
            """, "job.yaml");
        vertical.ResumeFrom = "job-20261202-120000-abcdef";
        var again = JobSpecCheck.ParseYaml(vertical.ToJson(), "resume");
        Assert.Equal(vertical.Data.Hosts, again.Data.Hosts);
        Assert.Equal("job-20261202-120000-abcdef", again.ResumeFrom);
        Assert.DoesNotContain("parties", vertical.ToJson());

        var horizontal = JobSpecCheck.ParseYaml(Spec(""), "job.yaml").ForGuest("bank_a");
        horizontal.ResumeFrom = "job-20261202-120000-abcdef";
        var back = JobSpecCheck.ParseYaml(horizontal.ToJson(), "resume");
        Assert.Equal(JobKinds.Horizontal, back.Kind);
        Assert.Equal(horizontal.Data.Parties, back.Data.Parties);
        Assert.Equal("job-20261202-120000-abcdef", back.ResumeFrom);
    }

    [Fact]
    public void VerticalSpec_WithHorizontalKeys_StillRefusedAsBefore()
    {
        var error = Assert.Throws<BadInputException>(() => JobSpecCheck.ParseYaml("""
            name: v
            data: { guest: customers, hosts: { telecom: subscribers } }
            training:
              rounds: 3
            """, "job.yaml"));
        Assert.StartsWith("job.yaml:4:3: training.rounds: unknown parameter", error.Message);
    }
}
