using VerticalFL.Ml.Optimization;

namespace VerticalFL.Protocol.Training;

/// <summary>
/// One party's training state after an epoch: enough to continue from the next epoch. Guest and host
/// hold their weights (the guest's intercept last) and, in masked mode, their optimiser state; the
/// arbiter holds the convergence state and, in arbiter-steps mode, every party's optimiser state.
/// Plaintext and private to the party that wrote it.
/// </summary>
public sealed record PartyCheckpoint
{
    public required int EpochsCompleted { get; init; }
    public double[] Weights { get; init; } = [];
    public OptimizerState? Optimizer { get; init; }
    /// <summary>Arbiter only: loss of the last epoch, for diff early stopping.</summary>
    public double? PreviousLoss { get; init; }
    /// <summary>Arbiter only, arbiter-steps mode: optimiser state per party id.</summary>
    public IReadOnlyDictionary<string, OptimizerState> PartyOptimizers { get; init; } = new Dictionary<string, OptimizerState>();

    /// <summary>
    /// Why <paramref name="party"/> (e.g. "this host") must not start at the guest's <paramref name="startEpoch"/>
    /// from <paramref name="resume"/>, or null when the epochs agree.
    /// </summary>
    internal static string? EpochMismatch(int startEpoch, PartyCheckpoint? resume, string party)
    {
        int own = resume?.EpochsCompleted ?? 0;
        return startEpoch == own ? null : $"resume: the guest resumes at epoch {startEpoch}, {party} at {own}.";
    }
}
