using VerticalFL.Ml.Data;
using VerticalFL.Party.Jobs;

namespace VerticalFL.IntegrationTests;

/// <summary>
/// Issue 14, finding 4: a job spec error names the file, line and column, the key as the operator wrote it and
/// what is allowed, with a "did you mean" for a near miss; never a .NET type or a name the operator did not write.
/// </summary>
public sealed class JobSpecErrorTests
{
    // Line 8 of Spec(…) is the one under test (the header below is 7 lines).
    private static string Spec(string trainingLine) => $"""
        name: t
        data:
          guest: customers
          label_column: y
          hosts: {'{'} telecom: subscribers {'}'}
        arbiter: arbiter
        training:
          {trainingLine}
        """;

    [Theory]
    [InlineData("learning_rat: 0.1", "job.yaml:8:3: training.learning_rat: unknown parameter; did you mean 'learning_rate'? Allowed: ")]
    [InlineData("batch_size: 1O24", "job.yaml:8:15: training.batch_size: '1O24' is not a whole number.")]
    [InlineData("optimizer: rmsprob",
        "job.yaml:8:14: training.optimizer: 'rmsprob' is not allowed; did you mean 'rmsprop'? Allowed: sgd, momentum, nesterov, adagrad, rmsprop, adam.")]
    [InlineData("epochs: 0", "job.yaml:8:11: training.epochs: must be ≥ 1, got 0.")]
    [InlineData("max_iter: 0", "job.yaml:8:13: training.max_iter: must be ≥ 1, got 0.")]
    [InlineData("fit_intercept: yes", "job.yaml:8:18: training.fit_intercept: 'yes' is not allowed; Allowed: true, false.")]
    [InlineData("learning_rate: fast", "job.yaml:8:18: training.learning_rate: 'fast' is not a number.")]
    public void ParseYaml_BadTrainingLine_SaysWhereWhatAndWhatIsAllowed(string line, string expected)
    {
        var error = Assert.Throws<BadInputException>(() => JobSpecCheck.ParseYaml(Spec(line), "job.yaml"));

        Assert.StartsWith(expected, error.Message);
        Assert.DoesNotContain(".NET", error.Message);
        Assert.DoesNotContain("System.", error.Message);
        Assert.DoesNotContain("Path: $", error.Message);
    }

    [Fact]
    public void ParseYaml_EpochsZero_NeverNamesMaxIter()
    {
        var error = Assert.Throws<BadInputException>(() => JobSpecCheck.ParseYaml(Spec("epochs: 0"), "job.yaml"));
        Assert.DoesNotContain("max_iter", error.Message);
    }

    [Fact]
    public void ParseYaml_UnknownParameterFarFromAnyName_ListsAllowedWithoutAGuess()
    {
        var error = Assert.Throws<BadInputException>(() => JobSpecCheck.ParseYaml(Spec("colour: blue"), "job.yaml"));
        Assert.DoesNotContain("did you mean", error.Message);
        Assert.Contains("learning_rate", error.Message);
        Assert.Contains("batch_size", error.Message);
    }

    [Fact]
    public void ParseYaml_MisspeltTopLevelKey_SuggestsTheSectionAndListsTheKeys()
    {
        string yaml = Spec("epochs: 2").Replace("training:", "trainning:");
        var error = Assert.Throws<BadInputException>(() => JobSpecCheck.ParseYaml(yaml, "job.yaml"));

        Assert.StartsWith("job.yaml:7:1: unknown key 'trainning'; did you mean 'training'? Allowed here: ", error.Message);
        Assert.Contains("arbiter", error.Message);
        Assert.DoesNotContain("VerticalFL.Party", error.Message);
    }

    [Fact]
    public void ParseYaml_GoodTrainingSection_IsAccepted()
    {
        var spec = JobSpecCheck.ParseYaml(Spec("optimizer: Adam"), "job.yaml");
        Assert.Equal(Ml.Optimization.OptimizerKind.Adam, JobParameters.Training(spec).Optimizer);
    }
}

/// <summary>Issue 10: <c>training.dp</c> as a nested map or as dotted keys; each bad value names the key and its line.</summary>
public sealed class LabelDpSpecTests
{
    private static string Spec(string training) => $"""
        name: t
        data:
          guest: customers
          label_column: y
          hosts: {'{'} telecom: subscribers {'}'}
        arbiter: arbiter
        training:
          epochs: 20
          early_stop: weight_diff
        {training}
        """;

    private const string Nested = """
          dp:
            epsilon: 4
            delta: 1e-6
            clip: 0.5
        """;

    private const string Dotted = """
          dp.epsilon: 4
          dp.delta: 1e-6
          dp.clip: 0.5
        """;

    [Theory]
    [InlineData(Nested)]
    [InlineData(Dotted)]
    public void ParseYaml_DpNestedOrDotted_GivesTheSameSettings(string dp)
    {
        var spec = JobSpecCheck.ParseYaml(Spec(dp), "job.yaml");

        var parameters = JobParameters.Training(spec);
        Assert.Equal(new Protocol.Training.LabelDpSettings { Epsilon = 4, Delta = 1e-6, Clip = 0.5 }, parameters.Dp);
        Assert.Equal("4", spec.Training["dp.epsilon"]);
        // The spec crosses to the other parties as JSON and must read back the same.
        var again = JobSpec.FromJson(spec.ToJson(), "wire");
        Assert.Equal(parameters.Dp, JobParameters.Training(again).Dp);
    }

    [Fact]
    public void ParseYaml_DpEpsilonOnly_TakesDefaultDeltaAndClip()
    {
        var spec = JobSpecCheck.ParseYaml(Spec("  dp: { epsilon: 8 }"), "job.yaml");
        Assert.Equal(new Protocol.Training.LabelDpSettings { Epsilon = 8, Delta = 1e-5, Clip = 1 }, JobParameters.Training(spec).Dp);
        Assert.Null(JobParameters.Training(JobSpecCheck.ParseYaml(Spec(""), "job.yaml")).Dp);
    }

    [Theory]
    // Nested: line 10 is "dp:", 11 epsilon, 12 delta, 13 clip.
    [InlineData("  dp:\n    epsilon: 0\n    delta: 1e-6\n    clip: 0.5", "job.yaml:11:14: training.dp.epsilon: must be > 0, got 0.")]
    [InlineData("  dp:\n    epsilon: 4\n    delta: 1.5\n    clip: 0.5", "job.yaml:12:12: training.dp.delta: must be in (0, 1)")]
    [InlineData("  dp:\n    epsilon: 4\n    delta: 1e-6\n    clip: -1", "job.yaml:13:11: training.dp.clip: must be > 0")]
    [InlineData("  dp:\n    epsilon: lots", "job.yaml:11:14: training.dp.epsilon: 'lots' is not a number.")]
    [InlineData("  dp:\n    epsilom: 4", "job.yaml:11:5: training.dp.epsilom: unknown parameter; did you mean 'dp.epsilon'?")]
    [InlineData("  dp:\n    delta: 1e-6", "job.yaml:10:3: training.dp.epsilon: is required with dp (a number > 0).")]
    // Dotted: line 10.
    [InlineData("  dp.epsilon: -3", "job.yaml:10:15: training.dp.epsilon: must be > 0, got -3.")]
    [InlineData("  dp.delta: 0\n  dp.epsilon: 1", "job.yaml:10:13: training.dp.delta: must be in (0, 1)")]
    [InlineData("  dp.clip: 0\n  dp.epsilon: 1", "job.yaml:10:12: training.dp.clip: must be > 0")]
    [InlineData("  dp.epsilon: 0.00001", "job.yaml:10:15: training.dp.epsilon: ε = 1E-05 over 20 epochs at δ = 1E-05 needs noise")]
    public void ParseYaml_BadDpValue_NamesTheKeyAndLine(string dp, string expected)
    {
        var error = Assert.Throws<BadInputException>(() => JobSpecCheck.ParseYaml(Spec(dp), "job.yaml"));
        Assert.StartsWith(expected, error.Message);
    }

    [Fact]
    public void ParseYaml_DpWithLossEarlyStop_NamesEarlyStopAndWhy()
    {
        string yaml = Spec("  dp: { epsilon: 4 }").Replace("early_stop: weight_diff", "early_stop: diff");
        var error = Assert.Throws<BadInputException>(() => JobSpecCheck.ParseYaml(yaml, "job.yaml"));
        Assert.StartsWith("job.yaml:9:15: training.early_stop: with dp must be weight_diff, got diff", error.Message);
    }

    [Fact]
    public void ParseYaml_DpWithCkks_IsRefusedNamingEncryption()
    {
        var error = Assert.Throws<BadInputException>(() => JobSpecCheck.ParseYaml(Spec("  encryption: ckks\n  dp: { epsilon: 4 }"), "job.yaml"));
        Assert.StartsWith("job.yaml:10:15: training.encryption: ckks cannot be combined with dp", error.Message);
    }

    [Fact]
    public void ParseYaml_DpGivenTwice_IsRefused()
    {
        var error = Assert.Throws<BadInputException>(() => JobSpecCheck.ParseYaml(Spec("  dp.epsilon: 4\n  dp: { epsilon: 2 }"), "job.yaml"));
        Assert.Contains("training.dp.epsilon: given twice", error.Message);
        Assert.StartsWith("job.yaml:11:", error.Message);
    }
}
