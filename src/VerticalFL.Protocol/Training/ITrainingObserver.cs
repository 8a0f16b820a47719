using VerticalFL.Ml.Metrics;

namespace VerticalFL.Protocol.Training;

/// <summary>
/// What a trainer reports as it goes, for the service to persist. Called on the training task;
/// keep it quick. Every role reports what it knows: only the guest (and arbiter) see the loss.
/// </summary>
public interface ITrainingObserver
{
    void BatchCompleted(BatchReport report) { }

    /// <summary>After each epoch, with the party's state to save so training can resume from here.</summary>
    void EpochCompleted(EpochReport report) { }

    void Finished(TrainingSummary summary) { }
}

/// <summary>An observer that ignores everything.</summary>
public sealed class NullTrainingObserver : ITrainingObserver
{
    public static readonly NullTrainingObserver Instance = new();
}

/// <param name="Seconds">Wall time of this party's part of the batch.</param>
/// <param name="BytesSent">Payload bytes this party sent during the batch.</param>
public sealed record BatchReport(string Party, int Epoch, int Batch, int Rows, double Seconds, long BytesSent);

/// <param name="Loss">Mean Taylor loss (with penalty) of the epoch; null where unknown to this role or not computed.</param>
/// <param name="Validation">AUC/KS/accuracy on the validation set (guest only, on validation epochs).</param>
/// <param name="Checkpoint">This party's state after the epoch.</param>
public sealed record EpochReport(
    string Party, int Epoch, double LearningRate, double? Loss, MetricSet? Validation, double Seconds, long BytesSent,
    bool Converged, PartyCheckpoint Checkpoint);

public sealed record TrainingSummary(string Party, int EpochsRun, bool Converged, double Seconds, long BytesSent);
