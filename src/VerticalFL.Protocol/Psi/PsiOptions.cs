using VerticalFL.Crypto.Psi;

namespace VerticalFL.Protocol.Psi;

/// <summary>Tuning for one PSI run. The guest's values are sent to each host, so only the guest's count.</summary>
public sealed record PsiOptions
{
    /// <summary>
    /// Ids per point batch (32 bytes a point on the wire). Default 2048: 64 KiB messages, below the
    /// 85 KB large-object threshold, so batch buffers die young instead of piling up on the LOH.
    /// </summary>
    public int BatchSize { get; init; } = 2048;

    /// <summary>Batches a sender may have unacknowledged; bounds memory on both sides. Default 8.</summary>
    public int Window { get; init; } = 8;

    /// <summary>
    /// Which implementation multiplies this party's points; null picks the fastest this CPU runs. A local
    /// choice: it is never sent, and engines give identical bytes, so parties may differ.
    /// </summary>
    public ScalarMultEngine? Engine { get; init; }

    /// <summary>Receives a report after every batch; null for none.</summary>
    public IProgress<PsiProgress>? Progress { get; init; }

    internal const int MaxBatchSize = 1 << 16;
    internal const int MaxWindow = 64;

    internal void Validate()
    {
        if (BatchSize is < 1 or > MaxBatchSize)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, $"Must be 1..{MaxBatchSize}.");
        if (Window is < 1 or > MaxWindow)
            throw new ArgumentOutOfRangeException(nameof(Window), Window, $"Must be 1..{MaxWindow}.");
    }
}

/// <summary>Which part of the protocol a progress report is about.</summary>
public enum PsiStage
{
    /// <summary>This party's own ids are being blinded (and, on the guest, double-blinded by the peer).</summary>
    OwnIds,

    /// <summary>The peer's blinded ids are being processed.</summary>
    PeerIds,
}

/// <summary>Progress of one stage with one peer: <paramref name="Done"/> of <paramref name="Total"/> ids.</summary>
public readonly record struct PsiProgress(string Peer, PsiStage Stage, long Done, long Total);
