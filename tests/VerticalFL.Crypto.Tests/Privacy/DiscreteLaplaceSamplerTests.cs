using System.Numerics;
using VerticalFL.Crypto.Privacy;

namespace VerticalFL.Crypto.Tests.Privacy;

/// <summary>
/// Sample statistics of the exact discrete Laplace sampler against its pmf computed independently here:
/// P[X = x] = (1 − e^{−1/b})/(1 + e^{−1/b})·e^{−|x|/b}. Tolerances are five standard errors at the sample size.
/// </summary>
public sealed class DiscreteLaplaceSamplerTests
{
    [Theory]
    [InlineData(3, 1)]    // b = 3
    [InlineData(7, 2)]    // b = 3.5: a non-integer scale (the ⌊X/s⌋ step)
    [InlineData(1, 4)]    // b = ¼: nearly all mass at 0 and ±1
    public void Histogram_MatchesTheExactPmf(int numerator, int denominator)
    {
        const int n = 60_000;
        double b = (double)numerator / denominator;
        double r = Math.Exp(-1 / b), norm = (1 - r) / (1 + r);
        var sampler = new DiscreteLaplaceSampler(numerator, denominator);
        var counts = new Dictionary<long, int>();
        for (int i = 0; i < n; i++)
        {
            long x = (long)sampler.Next();
            counts[x] = counts.GetValueOrDefault(x) + 1;
        }
        for (int x = -12; x <= 12; x++)
        {
            double p = norm * Math.Pow(r, Math.Abs(x));
            if (p < 1e-4)
                continue;
            double observed = counts.GetValueOrDefault(x) / (double)n;
            Assert.True(Math.Abs(observed - p) <= 5 * Math.Sqrt(p * (1 - p) / n), $"P[X = {x}]: observed {observed:G5}, exact {p:G5}");
        }
        // E|X| = 2r/((1 − r)(1 + r)) for the two-sided geometric
        double meanAbs = counts.Sum(kv => Math.Abs(kv.Key) * (double)kv.Value) / n;
        double expected = 2 * r / ((1 - r) * (1 + r));
        double variance = 2 * r / Math.Pow(1 - r, 2);   // E X² (= Var X), which bounds Var |X| too
        Assert.True(Math.Abs(meanAbs - expected) <= 5 * Math.Sqrt(variance / n) + 1e-9, $"E|X| observed {meanAbs}, exact {expected}");
        Assert.True(Math.Abs(counts.Sum(kv => kv.Key * (double)kv.Value) / n) <= 5 * Math.Sqrt(variance / n), "mean 0");
    }

    [Fact]
    public void Constructor_NonPositiveScale_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DiscreteLaplaceSampler(BigInteger.Zero, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DiscreteLaplaceSampler(1, -1));
    }
}
