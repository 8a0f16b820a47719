namespace VerticalFL.Ml.Optimization;

/// <summary>
/// Learning rate for epoch t (0-based) of T: constant η; step η·γ^⌊t/s⌋; linear η·(T−t)/T (so the last
/// epoch still moves, at η/T); inverse-sqrt η/√(1+γ·t).
/// </summary>
public sealed record LearningRateSchedule(DecayKind Kind, double InitialRate, int Epochs, double DecayRate = 0.5, int DecaySteps = 10)
{
    public double At(int epoch) => Kind switch
    {
        DecayKind.Constant => InitialRate,
        DecayKind.Step => InitialRate * Math.Pow(DecayRate, epoch / DecaySteps),
        DecayKind.Linear => InitialRate * (Epochs - epoch) / Epochs,
        DecayKind.InverseSqrt => InitialRate / Math.Sqrt(1 + DecayRate * epoch),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown decay."),
    };
}
