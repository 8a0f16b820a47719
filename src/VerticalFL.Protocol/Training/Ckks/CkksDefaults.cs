using VerticalFL.Crypto.Ckks;

namespace VerticalFL.Protocol.Training;

/// <summary>
/// The CKKS setting of hetero LR (docs/protocol/hetero-lr-ckks.md): N = 8192, primes {60, 60, 60} (one 120-bit data
/// level), encrypted values at Δ_d = 2^50, plaintext features at Δ_x = 2^40, one plaintext product and no rescale.
/// </summary>
public static class CkksDefaults
{
    public const int PolyModulusDegree = 8192;
    public static readonly int[] PrimeBits = [60, 60, 60];
    /// <summary>log₂ Δ_d: scores and residuals.</summary>
    public const int DataScaleBits = 50;
    /// <summary>log₂ Δ_x: features and loss coefficients.</summary>
    public const int FeatureScaleBits = 40;
    /// <summary>Rows per ciphertext: one real value per slot.</summary>
    public const int SlotsPerCiphertext = PolyModulusDegree / 2;
    /// <summary>Default ceiling on a job key's flooded releases (τ).</summary>
    public const long MaxReleases = 1L << 20;
    /// <summary>
    /// Default log₂ t: docs/protocol/ckks.md measures the noise of an LR slot sum at r.m.s. 2^48.7 for |d| ≤ 0.5 and
    /// declares t = 2^51; our residual is 4d (|4d| ≈ 2 at the start, 8× the measured range), hence 2^54.
    /// </summary>
    public const int NoiseBits = 54;
    /// <summary>|u| above which a party refuses to encrypt its scores (training diverged; keeps Σ 4d·x inside Q).</summary>
    public const double ScoreLimit = 1024;
    /// <summary>Coefficient 0 must stay below 2^this (Q/2 is 2^119; flooding takes at most 16σ ≈ 2^86 of the rest).</summary>
    public const int Coefficient0Bits = 116;

    /// <summary>Δ_d·Δ_x / (N/2): coefficient 0 of a product ciphertext per unit of slot sum (2^78).</summary>
    public static double SlotSumUnit => Math.Pow(2, DataScaleBits + FeatureScaleBits) / (PolyModulusDegree / 2);

    public static CkksParameters Parameters() => CkksParameters.Create(PolyModulusDegree, PrimeBits);

    /// <summary>Ciphertexts needed for <paramref name="rows"/> values.</summary>
    public static int Blocks(int rows) => (rows + SlotsPerCiphertext - 1) / SlotsPerCiphertext;
}
