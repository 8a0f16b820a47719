using System.Numerics;

namespace VerticalFL.Crypto.Ckks.Flooding;

/// <summary>
/// How much noise to add to a CKKS decryption before it is released, by the rule of Li, Micciancio, Schultz and
/// Sorrell (eprint 2022/816, "Securing Approximate Homomorphic Encryption Using Differential Privacy"), which
/// OpenFHE applies in its NOISE_FLOODING_DECRYPT mode: σ = √(12τ)·2^(s/2)·t.
/// </summary>
/// <remarks>
/// τ is the number of releases an adversary may see under one secret key, s the statistical security in bits
/// (the released values are within statistical distance ~2^−s of values that reveal nothing about the key), and t a
/// bound on the absolute noise (error term) of every released value, in the plaintext's integer units (the same units
/// as coefficient 0 of the decrypted polynomial). σ² = 12·τ·2^s·t² is an exact integer, so
/// <see cref="DiscreteGaussianSampler"/> samples it with no rounding. t is declared by the caller: the decryptor
/// cannot tell message from noise, so an underestimated t silently weakens the guarantee.
/// </remarks>
public sealed class FloodingPolicy
{
    /// <summary>OpenFHE's default statistical security for noise flooding.</summary>
    public const int DefaultStatisticalSecurityBits = 30;

    public FloodingPolicy(long maxReleases, BigInteger noiseBound, int statisticalSecurityBits = DefaultStatisticalSecurityBits)
    {
        if (maxReleases < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxReleases), maxReleases, "A flooding budget must allow at least one release (τ ≥ 1).");
        }

        if (noiseBound.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(noiseBound), "The noise bound t must be a positive integer.");
        }

        if (statisticalSecurityBits is < 1 or > 128)
        {
            throw new ArgumentOutOfRangeException(nameof(statisticalSecurityBits), statisticalSecurityBits, "Statistical security must be 1–128 bits.");
        }

        MaxReleases = maxReleases;
        NoiseBound = noiseBound;
        StatisticalSecurityBits = statisticalSecurityBits;
        SigmaSquared = 12 * new BigInteger(maxReleases) * (BigInteger.One << statisticalSecurityBits) * noiseBound * noiseBound;
    }

    /// <summary>τ: releases allowed under one secret key.</summary>
    public long MaxReleases { get; }

    /// <summary>t: bound on the absolute noise of each released value (plaintext integer units).</summary>
    public BigInteger NoiseBound { get; }

    /// <summary>s: statistical security bits.</summary>
    public int StatisticalSecurityBits { get; }

    /// <summary>σ² = 12·τ·2^s·t², exact.</summary>
    public BigInteger SigmaSquared { get; }

    /// <summary>log₂ σ, for reports and precision estimates.</summary>
    public double Log2Sigma => BigInteger.Log(SigmaSquared, 2) / 2;

    public override string ToString() =>
        $"FloodingPolicy(τ = {MaxReleases}, s = {StatisticalSecurityBits}, log2 t = {BigInteger.Log(NoiseBound, 2):F1}, log2 σ = {Log2Sigma:F1})";
}
