using System.Numerics;
using VerticalFL.Crypto.Ckks.Flooding;
using VerticalFL.Crypto.Privacy;

namespace VerticalFL.Protocol.Horizontal.Privacy;

/// <summary>
/// Clipping and noise on an integer lattice, so that the sensitivity is exact and the noise is sampled from integers
/// with a CSPRNG (never floating point: Mironov 2012). A real vector v is represented by round(v/γ) with
/// γ = C / 2^<see cref="PrivacyPlan.GridBits"/>; clipping bounds the integer vector's L2 norm (Gaussian) or L1 norm
/// (Laplace) by K = 2^GridBits exactly, by scaling down and truncating toward zero (which never increases a norm) and
/// checking the norm in exact integer arithmetic. A sum of clipped vectors then changes by at most K (in that norm)
/// when one vector is added or removed, and per coordinate the arbiter or client adds a discrete Gaussian of
/// σ = z·K (Canonne, Kamath, Steinke 2020: the multivariate discrete Gaussian has the continuous Gaussian's RDP bound
/// α·Δ²/(2σ²)) or a discrete Laplace of scale K/ε₀ (ε₀-DP for L1 sensitivity K).
/// </summary>
public sealed class LatticeMechanism
{
    private readonly PrivacyNoise _noise;
    private readonly DiscreteGaussianSampler? _gaussian;
    private readonly DiscreteLaplaceSampler? _laplace;

    /// <param name="noiseMultiplier">Gaussian z (rounded up to a multiple of 2^−20, so never below the calibrated value).</param>
    /// <param name="stepEpsilon">Laplace ε₀ (rounded down to a multiple of 2^−20; the plan's already is one).</param>
    public LatticeMechanism(PrivacySettings settings, double noiseMultiplier, double stepEpsilon)
    {
        _noise = settings.Noise;
        Granularity = settings.ClippingNorm / K;
        if (_noise == PrivacyNoise.Gaussian)
        {
            // σ_int = z·K with z ≥ the calibrated z: σ² = (⌈z·2^20⌉·K)² / 2^40, exactly rational.
            var zNumerator = new BigInteger(Math.Ceiling(noiseMultiplier * (1 << 20)));
            _gaussian = new DiscreteGaussianSampler(BigInteger.Pow(zNumerator * K, 2), BigInteger.One << 40);
        }
        else
        {
            // scale K/ε₀ with ε₀ rounded down: K·2^20 / ⌊ε₀·2^20⌋ ≥ K/ε₀.
            var epsilonNumerator = new BigInteger(Math.Max(1, Math.Floor(stepEpsilon * (1 << 20))));
            _laplace = new DiscreteLaplaceSampler(new BigInteger(K) << 20, epsilonNumerator);
        }
    }

    /// <summary>K: the clipping norm in lattice units.</summary>
    public const long K = 1L << PrivacyPlan.GridBits;

    /// <summary>γ = C / K: the real value of one lattice unit.</summary>
    public double Granularity { get; }

    /// <summary>round(v/γ), clipped to norm K (L2 for Gaussian noise, L1 for Laplace), added to <paramref name="sum"/>.</summary>
    public void AddClipped(ReadOnlySpan<double> vector, long[] sum)
    {
        var x = Clip(vector);
        for (int i = 0; i < x.Length; i++)
            sum[i] += x[i];
    }

    /// <summary>round(v/γ) clipped to norm K.</summary>
    public long[] Clip(ReadOnlySpan<double> vector)
    {
        const double limit = 1L << 40;   // keeps squares and sums inside long / Int128
        var x = new long[vector.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double scaled = vector[i] / Granularity;
            x[i] = double.IsFinite(scaled) ? (long)Math.Round(Math.Clamp(scaled, -limit, limit)) : 0;
        }
        double norm = Norm(x);
        if (norm <= K && WithinBound(x))
            return x;
        double factor = K / norm;
        while (true)
        {
            var clipped = new long[x.Length];
            for (int i = 0; i < x.Length; i++)
                clipped[i] = (long)Math.Truncate(x[i] * factor);   // toward zero: |clipped_i| ≤ |x_i|·factor
            if (WithinBound(clipped))
                return clipped;
            factor *= 1 - 1e-9;
        }
    }

    /// <summary>One independent integer noise draw per coordinate, added to <paramref name="sum"/>.</summary>
    public void AddNoise(long[] sum)
    {
        for (int i = 0; i < sum.Length; i++)
            sum[i] += (long)(_noise == PrivacyNoise.Gaussian ? _gaussian!.Next() : _laplace!.Next());
    }

    private double Norm(long[] x) => _noise == PrivacyNoise.Gaussian
        ? Math.Sqrt(x.Sum(v => (double)v * v))
        : x.Sum(v => Math.Abs((double)v));

    /// <summary>Exact: Σx² ≤ K² (Gaussian) or Σ|x| ≤ K (Laplace).</summary>
    private bool WithinBound(long[] x)
    {
        if (_noise == PrivacyNoise.Laplace)
        {
            Int128 l1 = 0;
            foreach (long v in x)
                l1 += Math.Abs(v);
            return l1 <= K;
        }
        Int128 squares = 0;
        foreach (long v in x)
            squares += (Int128)v * v;
        return squares <= (Int128)K * K;
    }
}
