using System.Numerics;

namespace VerticalFL.Crypto.Ckks.Flooding;

/// <summary>
/// Samples the discrete Gaussian over the integers, P[X = x] ∝ exp(−x²/(2σ²)), <b>exactly</b> for any rational σ²
/// (σ = 2^80 and beyond included): no floating point is used anywhere, every probability is a ratio of integers,
/// and every coin is drawn from the OS CSPRNG.
/// </summary>
/// <remarks>
/// The algorithm is the rejection sampler of Canonne, Kamath and Steinke, "The Discrete Gaussian for Differential
/// Privacy" (NeurIPS 2020, arXiv:2004.00010, Algorithms 1–3), re-derived here:
/// <list type="number">
/// <item><b>Bernoulli(exp(−γ))</b> for rational γ ∈ [0,1]: draw A_k ~ Bernoulli(γ/k) for k = 1, 2, … until the first
/// A_k = 0 and output 1 iff that k is odd. P[K &gt; k] = γ^k/k!, so P[K odd] = Σ_j (−γ)^j/j! = exp(−γ). For γ &gt; 1,
/// exp(−γ) = exp(−1)^⌊γ⌋·exp(−(γ−⌊γ⌋)): ⌊γ⌋ independent Bernoulli(exp(−1)) coins and one for the fraction.</item>
/// <item><b>Discrete Laplace</b> with integer scale t, P[Y = y] ∝ exp(−|y|/t): U uniform in [0,t) kept with
/// probability exp(−U/t), V ≥ 0 geometric with P[V ≥ v] = exp(−v), X = U + t·V then has P[X = x] ∝ exp(−x/t) on
/// x ≥ 0; a fair sign, rejecting "−0" so that 0 is not counted twice.</item>
/// <item><b>Gaussian</b>: with t = ⌊σ⌋ + 1, draw Y from the discrete Laplace and keep it with probability
/// exp(−(|Y| − σ²/t)²/(2σ²)). The product exp(−|y|/t)·exp(−(|y| − σ²/t)²/(2σ²)) = exp(−y²/(2σ²))·exp(−σ²/(2t²)),
/// and the second factor does not depend on y, so accepted values follow the discrete Gaussian exactly. The expected
/// number of Laplace draws per output is a small constant (below 2 for σ ≥ 1), independent of the size of σ.</item>
/// </list>
/// Exactness rests only on the CSPRNG's uniform bytes and on <see cref="CsprngIntegers.UniformBelow"/> being
/// unbiased (it rejects, it never reduces modulo). Rejection sampling is not constant-time: run time grows slowly
/// with |sample|. The sampler runs inside the key holder's process, between a decryption and the reply, so a peer
/// sees at most one network round-trip per release; see docs/security.md. Not thread-safe.
/// </remarks>
public sealed class DiscreteGaussianSampler
{
    private readonly BigInteger _varianceNumerator;   // σ² = a / b
    private readonly BigInteger _varianceDenominator;
    private readonly BigInteger _laplaceScale;        // t = ⌊σ⌋ + 1
    private readonly ExactCoins _coins = new(new CsprngIntegers());

    /// <summary>σ² = <paramref name="varianceNumerator"/> / <paramref name="varianceDenominator"/>, both positive.</summary>
    public DiscreteGaussianSampler(BigInteger varianceNumerator, BigInteger varianceDenominator)
    {
        if (varianceNumerator.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(varianceNumerator), "σ² must be positive.");
        }

        if (varianceDenominator.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(varianceDenominator), "σ²'s denominator must be positive.");
        }

        _varianceNumerator = varianceNumerator;
        _varianceDenominator = varianceDenominator;
        // ⌊√x⌋ = ⌊√⌊x⌋⌋ for x ≥ 0, so the integer square root of ⌊σ²⌋ gives ⌊σ⌋ exactly.
        _laplaceScale = IntegerMath.FloorSqrt(varianceNumerator / varianceDenominator) + 1;
    }

    /// <summary>An integer σ² (the flooding rule's σ² = 12·τ·2^s·t² is one).</summary>
    public DiscreteGaussianSampler(BigInteger variance) : this(variance, BigInteger.One)
    {
    }

    /// <summary>One sample.</summary>
    public BigInteger Next()
    {
        var a = _varianceNumerator;
        var b = _varianceDenominator;
        var t = _laplaceScale;
        while (true)
        {
            var y = _coins.Laplace(t, BigInteger.One);
            // γ = (|y| − σ²/t)² / (2σ²) = (|y|·b·t − a)² / (2·a·b·t²), all integers.
            var centred = BigInteger.Abs(y) * b * t - a;
            if (_coins.ExpMinus(centred * centred, 2 * a * b * t * t))
            {
                return y;
            }
        }
    }
}
