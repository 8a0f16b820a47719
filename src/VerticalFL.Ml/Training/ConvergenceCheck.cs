namespace VerticalFL.Ml.Training;

/// <summary>Decides after each epoch whether training has converged.</summary>
public sealed class ConvergenceCheck(EarlyStopKind kind, double tol)
{
    /// <summary>The previous epoch's loss, carried across checkpoints.</summary>
    public double? PreviousLoss { get; set; }

    /// <param name="loss">This epoch's loss; null when not computed (weight_diff only).</param>
    /// <param name="weightDiffNorm">‖w_after − w_before‖₂ over the epoch, all parties together.</param>
    public bool IsConverged(double? loss, double weightDiffNorm)
    {
        bool converged = kind switch
        {
            EarlyStopKind.Diff => loss is { } l && PreviousLoss is { } p && Math.Abs(p - l) < tol,
            EarlyStopKind.Abs => loss is { } l && l < tol,
            EarlyStopKind.WeightDiff => weightDiffNorm < tol,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown early_stop."),
        };
        PreviousLoss = loss;
        return converged;
    }
}
