using System.Text.Json;
using System.Text.Json.Nodes;
using VerticalFL.Contracts.V1;

namespace VerticalFL.Cli.Operator;

/// <summary>How a finished job is shown: a short human summary, or one JSON object for scripts.</summary>
internal static class JobResult
{
    public static JsonObject ToJson(JobReport report, string store)
    {
        var lineage = JobLineage.Of(report);
        var json = Fields(report, store);
        json["resumed_from"] = lineage.ResumedFrom;
        json["stopped_early"] = lineage.StoppedEarly(report);
        json["label_dp"] = report.LabelDp is { } dp ? new JsonObject
        {
            ["epsilon_target"] = dp.EpsilonTarget, ["epsilon_spent"] = Math.Round(dp.EpsilonSpent, 6), ["delta"] = dp.Delta,
            ["clip"] = dp.Clip, ["sigma"] = Math.Round(dp.Sigma, 6), ["noise_multiplier"] = Math.Round(dp.NoiseMultiplier, 6),
            ["epochs"] = dp.Epochs,
        } : null;
        return json;
    }

    private static JsonObject Fields(JobReport report, string store) => new()
    {
        ["job_id"] = report.Summary.JobId,
        ["state"] = report.Summary.State,
        ["reason"] = report.Summary.Reason,
        ["intersection"] = report.Intersection,
        ["epochs"] = report.Epochs,
        ["auc"] = Number(report.Auc),
        ["ks"] = Number(report.Ks),
        ["accuracy"] = Number(report.Accuracy),
        ["loss_history"] = new JsonArray(report.LossHistory.Select(l => (JsonNode?)Number(l)).ToArray()),
        ["psi_seconds"] = Math.Round(report.PsiSeconds, 3),
        ["train_seconds"] = Math.Round(report.TrainSeconds, 3),
        ["seconds_per_epoch"] = Math.Round(report.SecondsPerEpoch, 3),
        ["bytes_sent"] = report.BytesSent,
        ["model_path"] = report.ModelPath,
        ["store"] = store,
    };

    public static void Print(JobReport report)
    {
        var s = report.Summary;
        Console.WriteLine($"job {s.JobId}: {s.State}{(string.IsNullOrEmpty(s.Reason) ? "" : $" ({s.Reason})")}");
        var lineage = JobLineage.Of(report);
        if (lineage.ResumedFrom.Length > 0) Console.WriteLine($"  resumed from      {lineage.ResumedFrom}");
        if (report.Intersection == 0 && report.Epochs == 0) return;
        if (Party.Jobs.HorizontalSpec.IsHorizontal(report.SpecYaml))
        {
            PrintHorizontal(report);
            return;
        }
        if (report.Intersection > 0)
            Console.WriteLine($"  intersection      {report.Intersection:N0} ids   (PSI {report.PsiSeconds:0.0} s)");
        if (report.Epochs > 0)
            Console.WriteLine($"  training          {report.Epochs} epochs" +
                              (report.TrainSeconds > 0 ? $" in {report.TrainSeconds:0.0} s ({report.SecondsPerEpoch:0.00} s/epoch)" : ""));
        if (lineage.StoppedEarly(report) is { Length: > 0 } early) Console.WriteLine($"  stopped early     {early}");
        if (report.LabelDp is { } dp) Console.WriteLine($"  label_dp          {LabelDpLine(dp)}");
        if (report.LossHistory.Count > 0)
            Console.WriteLine($"  loss              {string.Join(" → ", report.LossHistory.Select(l => l.ToString("0.0000")))}");
        if (double.IsFinite(report.Auc))
            Console.WriteLine($"  train AUC / KS    {report.Auc:0.0000} / {report.Ks:0.0000}   accuracy {report.Accuracy:0.0000}");
        if (report.BytesSent > 0) Console.WriteLine($"  sent              {report.BytesSent / 1048576.0:0.0} MiB");
        if (!string.IsNullOrEmpty(report.ModelPath)) Console.WriteLine($"  model part        {report.ModelPath}");
    }

    /// <summary>A horizontal job: rounds, the training loss per round, the final model's pooled validation metrics.</summary>
    private static void PrintHorizontal(JobReport report)
    {
        Console.WriteLine($"  training          {report.Epochs} rounds" +
                          (report.TrainSeconds > 0 ? $" in {report.TrainSeconds:0.0} s ({report.SecondsPerEpoch:0.00} s/round)" : ""));
        if (report.LossHistory.Count > 0)
            Console.WriteLine($"  training loss     {string.Join(" → ", report.LossHistory.Select(l => l.ToString("0.0000")))}");
        if (double.IsFinite(report.Auc))
            Console.WriteLine($"  validation AUC    {report.Auc:0.0000}   accuracy {report.Accuracy:0.0000}   (the final model on every party's validation rows, pooled)");
        if (report.BytesSent > 0) Console.WriteLine($"  sent by the guest {report.BytesSent / 1024.0:0.0} KiB");
        if (!string.IsNullOrEmpty(report.ModelPath)) Console.WriteLine($"  model             {report.ModelPath}   (the whole global model: vfl predict --model FILE --data CSV)");
    }

    /// <summary>
    /// "ε 8 spent of 8 at δ 1e-05 over 20 epochs (clip 1, noise σ 3.087 per residual, multiplier 3.087)": the
    /// accountant's figure for the epochs run.
    /// </summary>
    public static string LabelDpLine(LabelDpReport dp) =>
        $"ε {dp.EpsilonSpent:0.###} spent of {dp.EpsilonTarget:G4} at δ {dp.Delta:G3} over {dp.Epochs} epochs " +
        $"(clip {dp.Clip:G4}, noise σ {dp.Sigma:G4} per residual, multiplier {dp.NoiseMultiplier:G4})";

    public static string Serialize(JsonObject json) => json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    private static JsonNode? Number(double value) => double.IsFinite(value) ? Math.Round(value, 6) : null;
}
