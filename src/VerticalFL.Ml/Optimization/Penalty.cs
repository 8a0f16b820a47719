namespace VerticalFL.Ml.Optimization;

/// <summary>
/// Regularisation over the feature weights (never the intercept): L1 α‖w‖₁ with subgradient α·sign(w),
/// L2 ½α‖w‖² with gradient α·w.
/// </summary>
public sealed record Penalty(PenaltyKind Kind, double Alpha)
{
    public static readonly Penalty None = new(PenaltyKind.None, 0);

    /// <param name="featureCount">How many leading weights are feature weights; any after are the intercept.</param>
    public double Loss(ReadOnlySpan<double> weights, int featureCount)
    {
        double sum = 0;
        foreach (double w in weights[..featureCount])
            sum += Kind switch { PenaltyKind.L1 => Math.Abs(w), PenaltyKind.L2 => 0.5 * w * w, _ => 0 };
        return Alpha * sum;
    }

    /// <summary>Adds the penalty gradient to <paramref name="gradient"/> in place.</summary>
    public void AddGradient(Span<double> gradient, ReadOnlySpan<double> weights, int featureCount)
    {
        for (int i = 0; i < featureCount; i++)
            gradient[i] += Kind switch
            {
                PenaltyKind.L1 => Alpha * Math.Sign(weights[i]),
                PenaltyKind.L2 => Alpha * weights[i],
                _ => 0,
            };
    }
}
