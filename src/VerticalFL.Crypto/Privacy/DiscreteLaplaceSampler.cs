using System.Numerics;
using VerticalFL.Crypto.Ckks.Flooding;

namespace VerticalFL.Crypto.Privacy;

/// <summary>
/// Samples the discrete Laplace distribution over the integers with a rational scale b = t/s,
/// P[X = x] ∝ exp(−|x|/b), <b>exactly</b>: every probability is a ratio of integers and every coin comes from the OS
/// CSPRNG (floating-point Laplace sampling leaks through the gaps between doubles: Mironov, CCS 2012).
/// </summary>
/// <remarks>
/// Canonne, Kamath and Steinke, "The Discrete Gaussian for Differential Privacy" (NeurIPS 2020), Algorithm 2, re-derived:
/// U uniform in [0, t) is kept with probability exp(−U/t); V ≥ 0 counts Bernoulli(exp(−1)) successes before the first
/// failure (P[V ≥ v] = exp(−v)); X = U + t·V then has P[X = x] ∝ exp(−x/t) on x ≥ 0, and Y = ⌊X/s⌋ has
/// P[Y = y] ∝ exp(−y·s/t) (a sum of a geometric tail over the s values of X that floor to y). A fair sign with "−0"
/// rejected (so 0 is not counted twice) gives the two-sided law. Bernoulli(exp(−γ)) for rational γ ∈ [0, 1] draws
/// A_k ~ Bernoulli(γ/k) until the first failure and answers whether that k is odd (P = Σ (−γ)^j/j! = e^−γ);
/// larger γ splits into ⌊γ⌋ coins of exp(−1) and one of the fraction. Adding discrete Laplace noise of scale Δ₁/ε to
/// an integer query of L1 sensitivity Δ₁ is ε-DP (the ratio of densities is at most exp(ε·|shift|/Δ₁)).
/// Not constant-time; not thread-safe.
/// </remarks>
public sealed class DiscreteLaplaceSampler
{
    private readonly BigInteger _t;
    private readonly BigInteger _s;
    private readonly ExactCoins _coins = new(new CsprngIntegers());

    /// <summary>Scale b = <paramref name="scaleNumerator"/> / <paramref name="scaleDenominator"/>, both positive.</summary>
    public DiscreteLaplaceSampler(BigInteger scaleNumerator, BigInteger scaleDenominator)
    {
        if (scaleNumerator.Sign <= 0)
            throw new ArgumentOutOfRangeException(nameof(scaleNumerator), "The scale must be positive.");
        if (scaleDenominator.Sign <= 0)
            throw new ArgumentOutOfRangeException(nameof(scaleDenominator), "The scale's denominator must be positive.");
        _t = scaleNumerator;
        _s = scaleDenominator;
    }

    public BigInteger Next() => _coins.Laplace(_t, _s);
}
