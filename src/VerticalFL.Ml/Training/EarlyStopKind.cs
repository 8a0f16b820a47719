namespace VerticalFL.Ml.Training;

public enum EarlyStopKind
{
    /// <summary>Stop when the epoch loss changes by less than tol.</summary>
    Diff,
    /// <summary>Stop when the epoch loss falls below tol.</summary>
    Abs,
    /// <summary>Stop when the L2 norm of the epoch's weight change falls below tol (needs no loss).</summary>
    WeightDiff,
}
