using System.Numerics;
using System.Security.Cryptography;
using VerticalFL.Crypto.Native;

namespace VerticalFL.Crypto.Paillier;

/// <summary>
/// Textbook baselines that the fast paths are measured against (<c>vfl bench paillier</c>) and checked by:
/// encryption with a full-size r^n, and an inner product with one modular exponentiation per term.
/// Correct and secure, just slow; production code uses <see cref="PaillierEncryptor"/> and <see cref="PaillierEvaluator"/>.
/// </summary>
public static unsafe class PaillierReference
{
    /// <summary>c = (1+mn)·r^n mod n² with a uniformly random unit r &lt; n.</summary>
    public static Ciphertext NaiveEncrypt(PaillierPublicKey key, BigInteger plaintext)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (BigInteger.Abs(plaintext) > key.MaxSafePlaintext)
        {
            throw new ArgumentOutOfRangeException(nameof(plaintext), "|plaintext| exceeds the key's MaxSafePlaintext (about n/3).");
        }

        var result = Ciphertext.Allocate(key);
        using var scratch = GmpIntegerArray.Create(3, key.ProductBits, secret: true);
        using var s = scratch.Pin();
        var n = key.N.Pointer;
        var random = new byte[key.ModulusBytes + 8];
        do
        {
            RandomNumberGenerator.Fill(random);
            GmpConvert.SetBigEndian(s[0], random);
            GmpNative.Remainder(s[0], s[0], n);
            GmpNative.Gcd(s[1], s[0], n);
        }
        while (s[0]->Size == 0 || GmpNative.CompareUnsigned(s[1], 1) != 0);

        CryptographicOperations.ZeroMemory(random);
        GmpNative.PowMod(result.Value.Pointer, s[0], n, key.NSquared.Pointer);
        GmpConvert.Set(s[0], plaintext);
        ModMath.GeneratorPower(s[1], s[0], n);
        ModMath.Multiply(result.Value.Pointer, result.Value.Pointer, s[1], key.NSquared.Pointer, s[2]);
        GC.KeepAlive(key);
        return result;
    }

    /// <summary>[[Σ wᵢ·mᵢ]] as ∏ cᵢ^|wᵢ| per sign (one exponentiation per term), then one inverse.</summary>
    public static Ciphertext NaiveInnerProduct(IReadOnlyList<Ciphertext> ciphertexts, ReadOnlySpan<short> weights)
    {
        ArgumentNullException.ThrowIfNull(ciphertexts);
        if (ciphertexts.Count == 0 || weights.Length != ciphertexts.Count)
        {
            throw new ArgumentException("Need as many weights as ciphertexts, at least one.", nameof(weights));
        }

        var key = ciphertexts[0].Key;
        using var pinned = new PinnedCiphertexts(key, ciphertexts, nameof(ciphertexts));
        using var scratch = GmpIntegerArray.Create(5, key.ProductBits);
        using var s = scratch.Pin();
        const int Positive = 0, Negative = 1, Power = 2, Exponent = 3, Product = 4;
        var nn = key.NSquared.Pointer;
        GmpNative.SetUnsigned(s[Positive], 1);
        GmpNative.SetUnsigned(s[Negative], 1);
        for (var i = 0; i < weights.Length; i++)
        {
            var weight = weights[i];
            GmpNative.SetUnsigned(s[Exponent], (nuint)Math.Abs((int)weight));
            GmpNative.PowMod(s[Power], pinned.Pointers[i], s[Exponent], nn);
            var target = weight < 0 ? s[Negative] : s[Positive];
            ModMath.Multiply(target, target, s[Power], nn, s[Product]);
        }

        var result = Ciphertext.Allocate(key);
        if (GmpNative.Invert(s[Negative], s[Negative], nn) == 0)
        {
            result.Dispose();
            throw new ArgumentException("A ciphertext shares a factor with n, so it is not a valid ciphertext.", nameof(ciphertexts));
        }

        ModMath.Multiply(result.Value.Pointer, s[Positive], s[Negative], nn, s[Product]);
        GC.KeepAlive(key);
        return result;
    }
}
