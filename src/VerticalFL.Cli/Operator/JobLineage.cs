using VerticalFL.Contracts.V1;
using VerticalFL.Ml.Data;
using VerticalFL.Party.Jobs;

namespace VerticalFL.Cli.Operator;

/// <summary>What a report's spec says about the run: the job it resumed, and whether training stopped before its epochs.</summary>
internal sealed record JobLineage(string ResumedFrom, int MaxEpochs, string EarlyStop)
{
    public static JobLineage Of(JobReport report)
    {
        if (string.IsNullOrWhiteSpace(report.SpecYaml)) return new("", 0, "");
        try
        {
            var spec = report.SpecYaml.TrimStart().StartsWith('{') ? JobSpec.FromJson(report.SpecYaml, "report") : JobSpec.ParseYaml(report.SpecYaml, "report");
            if (spec.Kind == JobKinds.Horizontal) return new(spec.ResumeFrom, 0, "");
            if (spec.Kind != JobKinds.Train) return new("", 0, "");
            var parameters = JobParameters.Training(spec);
            return new(spec.ResumeFrom, parameters.Epochs, spec.Training.GetValueOrDefault("early_stop", "diff"));
        }
        catch (BadInputException)
        {
            return new("", 0, "");
        }
    }

    /// <summary>"converged after 7 of 20 epochs (early_stop diff)" for a succeeded job that stopped early, else "".</summary>
    public string StoppedEarly(JobReport report) =>
        report.Summary.State == "succeeded" && MaxEpochs > 0 && report.Epochs > 0 && report.Epochs < MaxEpochs
            ? $"converged after {report.Epochs} of {MaxEpochs} epochs (early_stop {EarlyStop})"
            : "";
}
