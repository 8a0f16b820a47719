using System.Numerics;
using VerticalFL.Crypto.Paillier;

namespace VerticalFL.Crypto.Tests.Paillier;

/// <summary>Shared 1024-bit test-only keys (generated once per test run) and their secrets parsed independently.</summary>
internal static class TestKeys
{
    private static readonly Lazy<PaillierPrivateKey> PrimaryKey = new(PaillierPrivateKey.GenerateTestOnly1024);
    private static readonly Lazy<PaillierPrivateKey> OtherKey = new(PaillierPrivateKey.GenerateTestOnly1024);

    public static PaillierPrivateKey Primary => PrimaryKey.Value;

    public static PaillierPrivateKey Other => OtherKey.Value;
}

/// <summary>
/// Textbook Paillier in System.Numerics.BigInteger, independent of GMP and of the code under test:
/// decryption m = L(c^λ mod n²)·λ⁻¹ mod n for g = n+1, from p and q read out of the documented key layout.
/// </summary>
internal sealed class ReferencePaillier
{
    public ReferencePaillier(PaillierPrivateKey key)
    {
        var bytes = key.Export();
        var half = key.PublicKey.ModulusBits / 16;
        P = new BigInteger(bytes.AsSpan(8, half), isUnsigned: true, isBigEndian: true);
        Q = new BigInteger(bytes.AsSpan(8 + half, half), isUnsigned: true, isBigEndian: true);
        N = P * Q;
        NSquared = N * N;
        Lambda = (P - 1) * (Q - 1) / BigInteger.GreatestCommonDivisor(P - 1, Q - 1);
        Mu = ModInverse(Lambda % N, N);
    }

    public BigInteger P { get; }

    public BigInteger Q { get; }

    public BigInteger N { get; }

    public BigInteger NSquared { get; }

    private BigInteger Lambda { get; }

    private BigInteger Mu { get; }

    /// <summary>The signed plaintext: values above n/2 are read as negative.</summary>
    public BigInteger Decrypt(BigInteger c)
    {
        var m = (BigInteger.ModPow(c, Lambda, NSquared) - 1) / N * Mu % N;
        return m > N / 2 ? m - N : m;
    }

    public static BigInteger Value(Ciphertext ciphertext, PaillierPublicKey key)
    {
        var bytes = new byte[key.CiphertextBytes];
        ciphertext.WriteTo(bytes);
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
    }

    public static BigInteger ModInverse(BigInteger a, BigInteger m)
    {
        var (oldR, r) = (a, m);
        var (oldS, s) = (BigInteger.One, BigInteger.Zero);
        while (r != 0)
        {
            var q = oldR / r;
            (oldR, r) = (r, oldR - q * r);
            (oldS, s) = (s, oldS - q * s);
        }

        Assert.Equal(BigInteger.One, oldR);
        return ((oldS % m) + m) % m;
    }

    /// <summary>A uniformly random signed value with |v| &lt; 2^bits.</summary>
    public static BigInteger RandomSigned(Random random, int bits)
    {
        var bytes = new byte[(bits + 7) / 8 + 1];
        random.NextBytes(bytes);
        bytes[^1] = 0;
        var magnitude = new BigInteger(bytes) % BigInteger.Pow(2, bits);
        return random.Next(2) == 0 ? magnitude : -magnitude;
    }
}
