using System.Numerics;
using VerticalFL.Crypto.Ckks.Flooding;

namespace VerticalFL.Crypto.Tests.Ckks.Flooding;

/// <summary>
/// Sample statistics of the exact discrete Gaussian sampler. Every tolerance is five standard errors of the
/// estimate at the sample size used (a correct sampler fails one check with probability ~6e-7), and the reference
/// values come from an independent computation: the pmf summed in doubles at small σ, the continuous normal
/// (which the discrete Gaussian equals to within 2^−1000 at σ ≥ 2^20) at large σ.
/// </summary>
public sealed class DiscreteGaussianSamplerTests
{
    private const double Z = 5.0;

    [Theory]
    [InlineData(256, 25)] // σ = 3.2, the RLWE error width
    [InlineData(400, 1)]  // σ = 20
    [InlineData(1, 2)]    // σ ≈ 0.707: far from continuous, where a wrong sampler shows
    public void SmallSigma_HistogramMomentsAndTailsMatchTheExactPmf(int varianceNumerator, int varianceDenominator)
    {
        const int n = 120_000;
        var variance = (double)varianceNumerator / varianceDenominator;
        var sigma = Math.Sqrt(variance);
        var pmf = ExactPmf(variance, (int)Math.Ceiling(40 * sigma) + 2);
        var sampler = new DiscreteGaussianSampler(varianceNumerator, varianceDenominator);
        var counts = new Dictionary<long, int>();
        for (var i = 0; i < n; i++)
        {
            var x = (long)sampler.Next();
            counts[x] = counts.GetValueOrDefault(x) + 1;
        }

        foreach (var (x, p) in pmf.Where(kv => kv.Value >= 1e-5))
        {
            var observed = counts.GetValueOrDefault(x) / (double)n;
            Assert.True(Math.Abs(observed - p) <= Z * Math.Sqrt(p * (1 - p) / n) + 1e-12,
                $"P[X = {x}]: observed {observed:G6}, exact {p:G6}");
        }

        // Moments against the pmf's own mean 0 and variance (≈ σ², exactly what a correct sampler must hit).
        var pmfVariance = pmf.Sum(kv => kv.Value * kv.Key * kv.Key);
        var pmfFourth = pmf.Sum(kv => kv.Value * Math.Pow(kv.Key, 4));
        var mean = counts.Sum(kv => (double)kv.Key * kv.Value) / n;
        var secondMoment = counts.Sum(kv => (double)kv.Key * kv.Key * kv.Value) / n;
        Assert.True(Math.Abs(mean) <= Z * Math.Sqrt(pmfVariance / n), $"mean {mean}");
        Assert.True(Math.Abs(secondMoment - pmfVariance) <= Z * Math.Sqrt((pmfFourth - pmfVariance * pmfVariance) / n),
            $"variance {secondMoment}, exact {pmfVariance}");
        if (varianceNumerator >= varianceDenominator * 4)
        {
            Assert.InRange(pmfVariance / variance, 0.999, 1.001); // the reference itself: discrete ≈ continuous here
        }

        foreach (var k in new[] { 3.0, 4.0 })
        {
            var exactTail = pmf.Where(kv => Math.Abs(kv.Key) > k * sigma).Sum(kv => kv.Value);
            var observedTail = counts.Where(kv => Math.Abs(kv.Key) > k * sigma).Sum(kv => kv.Value) / (double)n;
            Assert.True(Math.Abs(observedTail - exactTail) <= Z * Math.Sqrt(exactTail * (1 - exactTail) / n) + 3.0 / n,
                $"P[|X| > {k}σ]: observed {observedTail:G4}, exact {exactTail:G4}");
        }
    }

    [Theory]
    [InlineData(1, 148)] // σ = 2^74
    [InlineData(3, 150)] // σ² = 12·2^16·2^30·2^(2·51): the LR flooding of docs/protocol/ckks.md at τ = 2^16, σ ≈ 2^75.8
    [InlineData(1, 200)] // σ = 2^100
    public void LargeSigma_ScaledStatisticsMatchTheNormalAndLowBitsAreUniform(int varianceFactor, int varianceExponent)
    {
        const int n = 100_000;
        var sampler = new DiscreteGaussianSampler(varianceFactor * (BigInteger.One << varianceExponent));
        var samples = new BigInteger[n];
        for (var i = 0; i < n; i++)
        {
            samples[i] = sampler.Next();
        }

        var log2Sigma = (Math.Log2(varianceFactor) + varianceExponent) / 2;
        var scaled = samples.Select(x => (double)x / Math.Pow(2, log2Sigma)).ToArray(); // x/σ
        var mean = scaled.Average();
        var variance = scaled.Average(v => v * v);
        Assert.True(Math.Abs(mean) <= Z / Math.Sqrt(n), $"mean/σ {mean}");
        Assert.True(Math.Abs(variance - 1) <= Z * Math.Sqrt(2.0 / n), $"variance/σ² {variance}");

        // P[|Z| > 3] = 0.0026998, P[|Z| > 4] = 6.334e-5 (standard normal tables).
        var beyond3 = scaled.Count(v => Math.Abs(v) > 3);
        var beyond4 = scaled.Count(v => Math.Abs(v) > 4);
        var expected3 = 0.0026998 * n;
        Assert.True(Math.Abs(beyond3 - expected3) <= Z * Math.Sqrt(expected3), $"{beyond3} beyond 3σ, expected {expected3:F1}");
        var expected4 = 6.334e-5 * n;
        Assert.True(Math.Abs(beyond4 - expected4) <= Z * Math.Sqrt(expected4) + 1, $"{beyond4} beyond 4σ, expected {expected4:F1}");
        Assert.True(scaled.Max() > 2.5 && scaled.Min() < -2.5, "both tails must be reached");

        // Full precision: a double scaled by σ would leave the low log2σ − 53 bits zero. Here the parity is a fair
        // coin and "low 20 bits all zero" happens about n/2^20 ≈ 0.1 times.
        var odd = samples.Count(x => !x.IsEven);
        Assert.True(Math.Abs(odd - n / 2.0) <= Z * Math.Sqrt(n / 4.0), $"{odd} odd samples of {n}");
        var lowZero = samples.Count(x => (x & 0xFFFFF).IsZero);
        Assert.True(lowZero <= 3, $"{lowZero} samples with their low 20 bits zero");
    }

    [Fact]
    public void RejectsNonPositiveVariance()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DiscreteGaussianSampler(BigInteger.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DiscreteGaussianSampler(BigInteger.One, BigInteger.MinusOne));
    }

    /// <summary>exp(−x²/(2σ²)) normalised over |x| ≤ range, in doubles (mass beyond 40σ is below 1e-300).</summary>
    private static Dictionary<long, double> ExactPmf(double variance, int range)
    {
        var weights = Enumerable.Range(-range, 2 * range + 1).ToDictionary(x => (long)x, x => Math.Exp(-(double)x * x / (2 * variance)));
        var total = weights.Values.Sum();
        return weights.ToDictionary(kv => kv.Key, kv => kv.Value / total);
    }
}
