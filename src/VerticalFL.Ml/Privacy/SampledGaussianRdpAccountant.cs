using static VerticalFL.Ml.Privacy.RdpConversion;

namespace VerticalFL.Ml.Privacy;

/// <summary>
/// Rényi-DP accounting of the <b>subsampled</b> Gaussian mechanism, as in DP-SGD: each step includes every record
/// independently with probability q (Poisson sampling), sums the clipped per-record values and adds Gaussian noise of
/// standard deviation z·C (C the clipping norm, z the noise multiplier).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Per step, for an integer order α ≥ 2 (Mironov, Talwar, Zhang, "Rényi Differential Privacy of the Sampled
/// Gaussian Mechanism", 2019, §3.3): RDP(α) = log(A_α)/(α − 1) with
/// A_α = Σ_{k=0}^{α} C(α,k)·(1 − q)^{α−k}·q^k·exp((k² − k)/(2z²)). Evaluated as a log-sum-exp.</item>
/// <item>q = 1 collapses the sum to its last term: RDP(α) = α/(2z²), the plain Gaussian (Mironov 2017, Prop. 7).</item>
/// <item>Steps compose additively at each order (Mironov 2017, Prop. 1); (α, ρ)-RDP gives
/// (ρ + log(1/δ)/(α − 1), δ)-DP (Prop. 3). ε is the minimum over <see cref="Orders"/>.</item>
/// </list>
/// Integer orders only: the bound is exact for them; orders between integers could only lower ε slightly.
/// </remarks>
public static class SampledGaussianRdpAccountant
{
    /// <summary>The orders α tried: 2 … 256.</summary>
    public static IReadOnlyList<int> Orders { get; } = Enumerable.Range(2, 255).ToArray();

    /// <summary>RDP of order <paramref name="alpha"/> of one step with sampling rate <paramref name="q"/> and noise multiplier <paramref name="z"/>.</summary>
    public static double StepRdp(int alpha, double q, double z)
    {
        Require(alpha >= 2, nameof(alpha), $"integer orders ≥ 2 only, got {alpha}");
        RequireRate(q);
        RequireMultiplier(z);
        if (q == 1)
            return alpha / (2 * z * z);
        double logQ = Math.Log(q), log1MinusQ = Precise.Log1p(-q);
        double[] terms = new double[alpha + 1];
        double logBinomial = 0;   // log C(α, 0)
        for (int k = 0; k <= alpha; k++)
        {
            if (k > 0)
                logBinomial += Math.Log(alpha - k + 1) - Math.Log(k);
            terms[k] = logBinomial + (alpha - k) * log1MinusQ + k * logQ + (k * (double)k - k) / (2 * z * z);
        }
        double max = terms.Max();
        double sum = terms.Sum(t => Math.Exp(t - max));
        return (max + Math.Log(sum)) / (alpha - 1);
    }

    /// <summary>ε of (ε, δ)-DP after <paramref name="steps"/> steps; zero steps cost nothing.</summary>
    public static double Epsilon(double q, double z, long steps, double delta)
    {
        RequireRate(q);
        RequireMultiplier(z);
        Require(steps >= 0, nameof(steps), $"must be ≥ 0, got {steps}");
        RequireDelta(delta);
        if (steps == 0)
            return 0;
        return RdpConversion.ToEpsilon(Orders.Select(a => (double)a), alpha => steps * StepRdp((int)alpha, q, z), delta);
    }

    /// <summary>
    /// The smallest noise multiplier (to a relative 1e-6) whose ε after <paramref name="steps"/> steps is at most
    /// <paramref name="epsilon"/>, by bisection (ε falls as z grows); the upper end of the final bracket, so it always meets
    /// the target. Throws when no z up to <paramref name="maxMultiplier"/> meets it.
    /// </summary>
    public static double NoiseMultiplier(double epsilon, double delta, double q, long steps, double maxMultiplier = 1e4)
    {
        Require(double.IsFinite(epsilon) && epsilon > 0, nameof(epsilon), $"must be > 0, got {epsilon}");
        Require(steps >= 1, nameof(steps), $"must be ≥ 1, got {steps}");
        double low = 0, high = 0.25;
        while (Epsilon(q, high, steps, delta) > epsilon)
        {
            low = high;
            high *= 2;
            if (high > maxMultiplier)
                throw new ArgumentOutOfRangeException(nameof(epsilon),
                    $"ε = {epsilon} at δ = {delta} over {steps} steps at sampling rate {q:G4} needs a noise multiplier above {maxMultiplier}.");
        }
        while (high - low > 1e-6 * high)
        {
            double middle = 0.5 * (low + high);
            if (Epsilon(q, middle, steps, delta) <= epsilon) high = middle;
            else low = middle;
        }
        return high;
    }

    private static void RequireRate(double q) => Require(q is > 0 and <= 1, nameof(q), $"the sampling rate must be in (0, 1], got {q}");
}

/// <summary>
/// Pure ε-DP of Laplace noise on Poisson-subsampled steps: a step that is ε₀-DP on its sample is
/// log(1 + q(e^ε₀ − 1))-DP on the whole data (amplification by subsampling; Balle, Barthe, Gaboardi 2018, Thm. 8 for
/// Poisson sampling under add/remove), and pure DP composes by adding (Dwork, Roth 2014, Thm. 3.16).
/// </summary>
public static class SubsampledLaplaceAccountant
{
    /// <summary>ε after <paramref name="steps"/> steps, each ε₀-DP on its sample at sampling rate q.</summary>
    public static double Epsilon(double q, double stepEpsilon, long steps) =>
        steps * Precise.Log1p(q * Precise.Expm1(stepEpsilon));

    /// <summary>The per-step ε₀ whose <see cref="Epsilon"/> over <paramref name="steps"/> steps is exactly <paramref name="epsilon"/>.</summary>
    public static double StepEpsilon(double epsilon, double q, long steps)
    {
        if (!(double.IsFinite(epsilon) && epsilon > 0))
            throw new ArgumentOutOfRangeException(nameof(epsilon), $"must be > 0, got {epsilon}");
        if (!(q is > 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(q), $"the sampling rate must be in (0, 1], got {q}");
        if (steps < 1)
            throw new ArgumentOutOfRangeException(nameof(steps), $"must be ≥ 1, got {steps}");
        return Precise.Log1p(Precise.Expm1(epsilon / steps) / q);
    }
}

/// <summary>log(1 + x) and eˣ − 1 without the cancellation of the naive forms for small |x| (series below 1e-4).</summary>
internal static class Precise
{
    public static double Log1p(double x) => Math.Abs(x) < 1e-4 ? x * (1 - x * (0.5 - x * (1.0 / 3 - x * 0.25))) : Math.Log(1 + x);

    public static double Expm1(double x) => Math.Abs(x) < 1e-4 ? x * (1 + x * (0.5 + x * (1.0 / 6 + x / 24))) : Math.Exp(x) - 1;
}
