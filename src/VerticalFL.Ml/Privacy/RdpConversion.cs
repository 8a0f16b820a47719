namespace VerticalFL.Ml.Privacy;

/// <summary>What the Rényi-DP accountants share: the RDP → (ε, δ) conversion and their argument checks.</summary>
internal static class RdpConversion
{
    /// <summary>ε = min over the orders α of rdp(α) + log(1/δ)/(α − 1) (Mironov 2017, Proposition 3).</summary>
    public static double ToEpsilon(IEnumerable<double> orders, Func<double, double> rdpAt, double delta)
    {
        double logInverseDelta = -Math.Log(delta);
        double best = double.PositiveInfinity;
        foreach (double alpha in orders)
            best = Math.Min(best, rdpAt(alpha) + logInverseDelta / (alpha - 1));
        return best;
    }

    public static void RequireMultiplier(double z) =>
        Require(double.IsFinite(z) && z > 0, nameof(z), $"the noise multiplier must be > 0, got {z}");

    public static void RequireDelta(double delta) =>
        Require(delta is > 0 and < 1, nameof(delta), $"must be in (0, 1), got {delta}");

    public static void Require(bool ok, string name, string problem)
    {
        if (!ok)
            throw new ArgumentOutOfRangeException(name, problem);
    }
}
