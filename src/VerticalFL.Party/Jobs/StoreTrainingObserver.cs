using VerticalFL.Protocol.Training;
using VerticalFL.Storage;

namespace VerticalFL.Party.Jobs;

/// <summary>
/// Persists what a trainer reports: one iteration row and one checkpoint per epoch, and the job's
/// progress. Writes once per epoch, so doing it on the training task costs milliseconds.
/// </summary>
internal sealed class StoreTrainingObserver(VflStore store, JobRun run, string partyId, int epochs, Action<double>? epochTimed = null)
    : ITrainingObserver
{
    private readonly List<double> _losses = [];

    /// <summary>The loss after each epoch, where this role knows it.</summary>
    public IReadOnlyList<double> Losses => _losses;

    public EpochReport? Last { get; private set; }

    public void EpochCompleted(EpochReport report)
    {
        if (report.Loss is { } loss) _losses.Add(loss);
        Last = report;
        var record = new IterationRecord(run.JobId, report.Epoch, null, report.Loss, report.Validation?.Auc, report.Validation?.Ks,
            report.Validation?.Accuracy, report.Seconds, report.BytesSent, 0);
        Wait(store.Iterations.AddAsync(record));
        Wait(store.Checkpoints.SaveAsync(run.JobId, partyId, report.Epoch, Checkpoints.Serialize(report.Checkpoint)));
        Wait(run.ReportProgressAsync(report.Epoch + 1, Math.Min(1.0, (report.Epoch + 1.0) / epochs), CancellationToken.None));
        epochTimed?.Invoke(report.Seconds);
    }

    // The observer interface is synchronous; the trainer runs on a pool thread with no synchronization context.
    private static void Wait(Task task) => task.GetAwaiter().GetResult();
}
