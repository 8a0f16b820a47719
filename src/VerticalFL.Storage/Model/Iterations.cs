namespace VerticalFL.Storage;

/// <summary>
/// One training step's record: an epoch, or a batch within it. Metrics are null when not computed
/// (hosts never see the loss; evaluation runs only some epochs).
/// </summary>
/// <param name="Seconds">Wall-clock duration of the step.</param>
/// <param name="BytesSent">Payload bytes this party sent during the step.</param>
public sealed record IterationRecord(
    string JobId,
    int Epoch,
    int? Batch,
    double? Loss,
    double? Auc,
    double? Ks,
    double? Accuracy,
    double Seconds,
    long BytesSent,
    long BytesReceived);
