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
