using System.Diagnostics;
using Microsoft.Extensions.Logging;
using VerticalFL.Ml.Data;
using VerticalFL.Ml.Metrics;
using VerticalFL.Party.Hosting;
using VerticalFL.Party.Jobs;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Prediction;
using VerticalFL.Protocol.Psi;
using VerticalFL.Protocol.Training;
using VerticalFL.Storage;

namespace VerticalFL.Guest;

/// <summary>A training job on the guest: PSI with every host, hetero-LR training, then federated evaluation.</summary>
internal sealed class GuestTrainingJob(PartyNode node, string jobId, JobSpec spec, string dataPath)
{
    public async Task RunAsync(JobRun run, CancellationToken ct)
    {
        var channel = node.OpenChannel(jobId);
        var workspace = node.Workspace(jobId).Create();
        var parameters = JobParameters.Training(spec);
        var hosts = spec.HostIds.ToList();

        // A malformed file is reported against the operator's file (path:line:column), before any party does work.
        CsvDatasetReader.Read(dataPath, ReadOptions);
        var resume = await Checkpoints.ForAsync(node, spec, ct);
        await JobResults.SaveEncryptionAsync(node, jobId, parameters, ct);

        await run.MoveToAsync(JobState.Psi, ct);
        var psiClock = Stopwatch.StartNew();
        long intersection = await GuestAlignment.RunAsync(channel, hosts, spec, dataPath, workspace, run, ct);
        double psiSeconds = psiClock.Elapsed.TotalSeconds;
        await JobResults.SaveIntersectionAsync(node, jobId, intersection, ct);

        await run.MoveToAsync(JobState.Training, ct);
        var data = LoadAligned(workspace);
        var observer = node.TrainingObserver(run, parameters.Epochs);
        var trainClock = Stopwatch.StartNew();
        var model = await new GuestTrainer(channel, JobParameters.Roles(spec, node.Id), parameters, data, resume: resume, observer: observer).TrainAsync(ct);
        double trainSeconds = trainClock.Elapsed.TotalSeconds;

        await run.MoveToAsync(JobState.Evaluating, ct);
        var predictions = await new GuestPredictor(channel, hosts, model).PredictAsync(data, spec.Threshold, ct);
        PredictionFile.Write(workspace.Predictions, predictions);
        var scores = predictions.Select(p => p.Probability).ToArray();
        var metrics = MetricSet.Of(scores, data.Labels!, spec.Threshold);
        await JobResults.SaveRocAsync(node, jobId, scores, data.Labels!, metrics, ct);
        await ModelArchive.SaveAsync(node, workspace, model, ct);
        int epochs = model.Metadata.EpochsRun;
        new JobOutcome
        {
            Intersection = intersection, Epochs = epochs, LossHistory = observer.Losses,
            Auc = metrics.Auc, Ks = metrics.Ks, Accuracy = metrics.Accuracy,
            PsiSeconds = psiSeconds, TrainSeconds = trainSeconds, SecondsPerEpoch = trainSeconds / Math.Max(1, epochs),
            BytesSent = node.BytesSent, ModelPath = workspace.Model, PredictionsPath = workspace.Predictions,
            LabelDp = LabelDp.For(parameters)?.Report(epochs),
        }.Save(workspace);
        await node.Store.Iterations.AddAsync(new IterationRecord(jobId, epochs, null, observer.Losses.LastOrDefault(),
            metrics.Auc, metrics.Ks, metrics.Accuracy, trainSeconds, node.BytesSent, 0), ct);
        await node.FlushAuditAsync(ct);
        await run.MoveToAsync(JobState.Succeeded, ct, $"auc {metrics.Auc:0.0000}, ks {metrics.Ks:0.0000}, accuracy {metrics.Accuracy:0.0000}");
    }

    private CsvReadOptions ReadOptions => new() { IdColumn = spec.Psi.IdColumn, LabelColumn = spec.Data.LabelColumn };

    private Dataset LoadAligned(JobWorkspace workspace)
    {
        var read = CsvDatasetReader.Read(workspace.AlignedData, ReadOptions);
        if (read.ImputedCells > 0)
            node.Loggers.CreateLogger<GuestTrainingJob>().LogWarning("Job {JobId}: {Cells} missing cells imputed with column means", jobId, read.ImputedCells);
        return read.Dataset;
    }
}

/// <summary>PSI on the guest, shared by training and prediction jobs: aligns this party's rows with every host's.</summary>
internal static class GuestAlignment
{
    public static async Task<long> RunAsync(IPartyChannel channel, IReadOnlyList<string> hosts, JobSpec spec, string dataPath,
        JobWorkspace workspace, JobRun run, CancellationToken ct)
    {
        var ids = PsiIdFile.Read(dataPath, spec.Psi.IdColumn, JobParameters.Duplicates(spec));
        PsiResult intersection;
        await using (var progress = new PsiProgressTracker(run, hosts.Count))
            intersection = await new PsiGuest(channel, hosts, new PsiOptions { Progress = progress }).RunAsync(ids.Ids, ct);
        if (intersection.Count == 0)
            throw new InvalidOperationException("the intersection is empty: the parties share no ids");
        ids.WriteAligned(intersection, workspace.AlignedData);
        return intersection.Count;
    }
}
