using VerticalFL.Party.Hosting;
using VerticalFL.Party.Jobs;
using VerticalFL.Storage;

namespace VerticalFL.Guest;

/// <summary>
/// A horizontal job on the guest: the guest trains as one of the arbiter's clients, like each host, and keeps the
/// job's report (rounds, loss curve, the final model's pooled validation metrics as the arbiter shared them).
/// </summary>
internal sealed class GuestHorizontalJob(PartyNode node, string jobId, JobSpec spec, string dataPath)
{
    public async Task RunAsync(JobRun run, CancellationToken ct)
    {
        var outcome = await new HorizontalClientJob(node, jobId, spec, dataPath, PartyRole.Guest).RunAsync(run, guest: null, ct);
        var pooled = outcome.Result.Pooled ?? outcome.Result.LocalValidation;
        new JobOutcome
        {
            Epochs = outcome.Rounds, LossHistory = outcome.Losses,
            Auc = pooled.Auc ?? double.NaN, Accuracy = pooled.Accuracy,
            TrainSeconds = outcome.TrainSeconds, SecondsPerEpoch = outcome.TrainSeconds / Math.Max(1, outcome.Rounds),
            BytesSent = node.BytesSent, ModelPath = outcome.ModelPath,
        }.Save(node.Workspace(jobId));
        string auc = pooled.Auc is { } a ? $"auc {a:0.0000}, " : "";
        await run.MoveToAsync(JobState.Succeeded, ct, $"{auc}accuracy {pooled.Accuracy:0.0000} (the final model on every party's validation rows, {pooled.Rows} rows)");
    }
}
