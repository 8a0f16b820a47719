using static VerticalFL.Ml.Privacy.RdpConversion;

namespace VerticalFL.Ml.Privacy;

/// <summary>
/// Rényi-DP accounting of repeated Gaussian mechanisms (Mironov, "Rényi Differential Privacy", CSF 2017), in terms of
/// the noise multiplier z = σ/Δ (noise standard deviation over L2 sensitivity).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>One Gaussian mechanism is (α, α/(2z²))-RDP for every order α &gt; 1 (Mironov, Prop. 7); the discrete Gaussian on
/// the integers with an integer sensitivity has the same bound (Canonne, Kamath, Steinke 2020, Thm. 4).</item>
/// <item>RDP composes additively at a fixed order (Prop. 1), so r releases cost r·α/(2z²).</item>
/// <item>(α, ρ)-RDP implies (ρ + log(1/δ)/(α − 1), δ)-DP (Prop. 3); ε is the minimum over a fixed grid of orders.</item>
/// </list>
/// "Releases" counts what touches one individual: in label-DP hetero LR each row sits in exactly one batch per epoch, so
/// an epoch is one release per label (parallel composition over disjoint batches) and r is the number of epochs.
/// </remarks>
public static class GaussianRdpAccountant
{
    /// <summary>
    /// The orders α tried: 1 + 0.01·1.02^k up to α ≈ 10⁴ (geometric in α − 1, about 700 orders), dense enough that the
    /// grid's ε is within 0.1 % of the minimum over all real α &gt; 1.
    /// </summary>
    public static IReadOnlyList<double> Orders { get; } = MakeOrders();

    /// <summary>RDP of order <paramref name="alpha"/> after <paramref name="releases"/> Gaussian releases of noise multiplier <paramref name="z"/>.</summary>
    public static double Rdp(double alpha, double z, int releases)
    {
        Require(alpha > 1 && double.IsFinite(alpha), nameof(alpha), $"the order must be > 1, got {alpha}");
        RequireMultiplier(z);
        Require(releases >= 0, nameof(releases), $"must be ≥ 0, got {releases}");
        return releases * alpha / (2 * z * z);
    }

    /// <summary>
    /// ε of (ε, δ)-DP after <paramref name="releases"/> releases: min over <see cref="Orders"/> of
    /// r·α/(2z²) + log(1/δ)/(α − 1). Zero releases cost nothing (ε = 0).
    /// </summary>
    public static double Epsilon(double z, int releases, double delta)
    {
        RequireMultiplier(z);
        Require(releases >= 0, nameof(releases), $"must be ≥ 0, got {releases}");
        RequireDelta(delta);
        if (releases == 0)
            return 0;
        return RdpConversion.ToEpsilon(Orders, alpha => releases * alpha / (2 * z * z), delta);
    }

    /// <summary>
    /// The smallest noise multiplier (to a relative 1e-9) whose <see cref="Epsilon"/> after <paramref name="releases"/>
    /// releases is at most <paramref name="epsilon"/>, by bisection (ε falls as z grows). The returned z always meets the
    /// target: it is the upper end of the final bracket.
    /// </summary>
    public static double NoiseMultiplier(double epsilon, double delta, int releases)
    {
        Require(double.IsFinite(epsilon) && epsilon > 0, nameof(epsilon), $"must be > 0, got {epsilon}");
        RequireDelta(delta);
        Require(releases >= 1, nameof(releases), $"must be ≥ 1, got {releases}");
        double low = 1e-6, high = 1;
        while (Epsilon(high, releases, delta) > epsilon)
        {
            low = high;
            high *= 2;
            if (high > 1e12)
                throw new ArgumentOutOfRangeException(nameof(epsilon), $"ε = {epsilon} is beyond reach: no noise multiplier up to 1e12 meets it.");
        }
        while (high - low > 1e-9 * high)
        {
            double middle = 0.5 * (low + high);
            if (Epsilon(middle, releases, delta) <= epsilon) high = middle;
            else low = middle;
        }
        return high;
    }

    private static double[] MakeOrders()
    {
        var orders = new List<double>();
        for (double excess = 0.01; excess <= 1e4; excess *= 1.02)
            orders.Add(1 + excess);
        return [.. orders];
    }
}
