using VerticalFL.Ml.Data;
using VerticalFL.Ml.Metrics;
using VerticalFL.Party.Hosting;
using VerticalFL.Party.Jobs;
using VerticalFL.Protocol.Models;
using VerticalFL.Protocol.Prediction;
using VerticalFL.Storage;

namespace VerticalFL.Guest;

/// <summary>
/// A prediction job on the guest: PSI on the new data, then federated scoring with the model parts of an
/// earlier training job (each party uses its own part). Metrics are computed when the data has labels.
/// </summary>
internal sealed class GuestPredictionJob(PartyNode node, string jobId, JobSpec spec, string dataPath)
{
    public async Task RunAsync(JobRun run, CancellationToken ct)
    {
        var channel = node.OpenChannel(jobId);
        var workspace = node.Workspace(jobId).Create();
        var model = ModelFile.LoadGuest(RequireModel());
        var hosts = spec.HostIds.ToList();

        await run.MoveToAsync(JobState.Psi, ct);
        long intersection = await GuestAlignment.RunAsync(channel, hosts, spec, dataPath, workspace, run, ct);
        await JobResults.SaveIntersectionAsync(node, jobId, intersection, ct);
        await run.MoveToAsync(JobState.Training, ct, "prediction job: nothing to train");
        await run.MoveToAsync(JobState.Evaluating, ct);
        string? labelColumn = HasColumn(workspace.AlignedData, spec.Data.LabelColumn) ? spec.Data.LabelColumn : null;
        var data = CsvDatasetReader.Read(workspace.AlignedData, new CsvReadOptions { IdColumn = spec.Psi.IdColumn, LabelColumn = labelColumn }).Dataset;
        var predictions = await new GuestPredictor(channel, hosts, model).PredictAsync(data, spec.Threshold, ct);
        PredictionFile.Write(workspace.Predictions, predictions);
        var metrics = data.Labels is { } labels ? MetricSet.Of(predictions.Select(p => p.Probability).ToArray(), labels, spec.Threshold) : null;
        new JobOutcome
        {
            Intersection = intersection, Auc = metrics?.Auc ?? double.NaN, Ks = metrics?.Ks ?? double.NaN,
            Accuracy = metrics?.Accuracy ?? double.NaN, BytesSent = node.BytesSent,
            ModelPath = RequireModel(), PredictionsPath = workspace.Predictions,
        }.Save(workspace);
        await node.FlushAuditAsync(ct);
        await run.MoveToAsync(JobState.Succeeded, ct, $"{predictions.Count} rows scored into {workspace.Predictions}");
    }

    private string RequireModel()
    {
        string path = node.Workspace(spec.ModelJob).Model;
        return File.Exists(path) ? path : throw new BadInputException($"model_job '{spec.ModelJob}': no guest model part at {path}.");
    }

    private static bool HasColumn(string csvPath, string column)
    {
        using var reader = new StreamReader(csvPath);
        return !string.IsNullOrEmpty(column) && (reader.ReadLine() ?? "").Split(',').Select(c => c.Trim('"')).Contains(column);
    }
}
