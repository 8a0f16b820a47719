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
