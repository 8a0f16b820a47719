namespace VerticalFL.Ml.Optimization;

/// <summary>Everything an optimiser remembers between steps, for checkpoints and warm starts.</summary>
public sealed record OptimizerState(OptimizerKind Kind, long Steps, double[][] Moments);
