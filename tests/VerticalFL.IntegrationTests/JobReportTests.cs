using VerticalFL.Cli.Operator;
using VerticalFL.Contracts.V1;

namespace VerticalFL.IntegrationTests;

/// <summary>Issue 14, finding 8: a report says which job it resumed and why training stopped before its epochs.</summary>
public sealed class JobReportTests
{
    private static JobReport Report(string state, int epochs, string resumeFrom = "") => new()
    {
        Summary = new JobSummary { JobId = "job-b", State = state },
        Epochs = epochs,
        SpecYaml = $$"""
            name: r
            data: { guest: customers, label_column: y, hosts: { telecom: subscribers } }
            resume_from: "{{resumeFrom}}"
            training: { epochs: 20, early_stop: weight_diff }
            """,
    };

    [Fact]
    public void ToJson_ResumedJobThatConverged_NamesThePreviousJobAndWhyItStopped()
    {
        var json = JobResult.ToJson(Report("succeeded", 7, resumeFrom: "job-a"), "sqlite:x");

        Assert.Equal("job-a", (string?)json["resumed_from"]);
        Assert.Equal("converged after 7 of 20 epochs (early_stop weight_diff)", (string?)json["stopped_early"]);
    }

    [Theory]
    [InlineData("succeeded", 20)]   // ran every epoch
    [InlineData("failed", 7)]       // did not converge: it failed (the reason says why)
    public void ToJson_NoEarlyStop_SaysNothingAboutIt(string state, int epochs)
    {
        var json = JobResult.ToJson(Report(state, epochs), "sqlite:x");

        Assert.Equal("", (string?)json["stopped_early"]);
        Assert.Equal("", (string?)json["resumed_from"]);
    }
}

/// <summary>Issue 10: a label-DP job's report states the ε spent at δ for the epochs it ran.</summary>
public sealed class LabelDpJobReportTests
{
    [Fact]
    public void ToJson_LabelDp_GivesTheAccountantsFigures()
    {
        var report = new JobReport
        {
            Summary = new JobSummary { JobId = "j", State = "succeeded" }, Epochs = 7,
            LabelDp = new LabelDpReport { EpsilonTarget = 8, EpsilonSpent = 4.5, Delta = 1e-5, Clip = 1, Sigma = 3.1, NoiseMultiplier = 3.1, Epochs = 7 },
        };
        var dp = JobResult.ToJson(report, "sqlite:x")["label_dp"]!;

        Assert.Equal(8, (double)dp["epsilon_target"]!);
        Assert.Equal(4.5, (double)dp["epsilon_spent"]!);
        Assert.Equal(1e-5, (double)dp["delta"]!);
        Assert.Equal(1, (double)dp["clip"]!);
        Assert.Equal(3.1, (double)dp["sigma"]!);
        Assert.Equal(7, (int)dp["epochs"]!);
        Assert.Equal("ε 4.5 spent of 8 at δ 1E-05 over 7 epochs (clip 1, noise σ 3.1 per residual, multiplier 3.1)", JobResult.LabelDpLine(report.LabelDp));
        Assert.Null(JobResult.ToJson(new JobReport { Summary = new JobSummary { JobId = "j" } }, "sqlite:x")["label_dp"]);
    }

    /// <summary>Three real processes: a dp job that converges after its first epoch spent less than its target.</summary>
    [Fact]
    public async Task DpJob_StopsEarly_ReportsEpsilonSpentBelowTheTarget()
    {
        using var federation = await RunningFederation.StartAsync();
        string jobId = await federation.SubmitAsync(RunningFederation.JobYaml("""
              epochs: 3
              batch_size: -1
              early_stop: weight_diff
              tol: 1e9
              dp:
                epsilon: 4
                delta: 1e-6
            """));
        var report = await federation.WaitAsync(jobId);

        Assert.True(report.Summary.State == "succeeded", $"job ended {report.Summary.State}: {report.Summary.Reason}\n{federation.Log("bank")}");
        Assert.Equal(1, report.Epochs);
        var dp = report.LabelDp;
        Assert.NotNull(dp);
        Assert.Equal(4, dp.EpsilonTarget);
        Assert.Equal(1e-6, dp.Delta);
        Assert.Equal(1, dp.Epochs);
        Assert.InRange(dp.EpsilonSpent, 0.5, 3.9); // one epoch of three: well below the target, not free
        Assert.Equal(dp.EpsilonSpent, (double)JobResult.ToJson(report, "sqlite:x")["label_dp"]!["epsilon_spent"]!, 5);
    }
}
