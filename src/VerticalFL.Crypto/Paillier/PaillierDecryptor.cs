using System.Numerics;
using VerticalFL.Crypto.Native;
using VerticalFL.Crypto.Concurrency;

namespace VerticalFL.Crypto.Paillier;

/// <summary>
/// CRT decryption: two half-size exponentiations c^(p−1) mod p², c^(q−1) mod q² with <c>mpz_powm_sec</c>
/// (the exponents are secret), then Garner recombination. Returns signed plaintexts. Thread-safe.
/// </summary>
public sealed unsafe class PaillierDecryptor
{
    private const int MP = 0, MQ = 1, T = 2, U = 3, Plain = 4, ScratchCount = 5;
    private readonly PaillierPrivateKey key;

    public PaillierDecryptor(PaillierPrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        this.key = key;
    }

    /// <summary>The signed plaintext; <see cref="PaillierOverflowException"/> if it lies in the overflow zone.</summary>
    public BigInteger Decrypt(Ciphertext ciphertext)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        key.PublicKey.EnsureMatches(ciphertext.Key, nameof(ciphertext));
        using var scratch = CreateScratch();
        using var s = scratch.Pin();
        using var secrets = key.Secrets.Pin();
        using var c = ciphertext.Value.Pin();
        DecryptCore(c.Pointer, secrets, s);
        return Interpret(s[Plain]) ?? throw new PaillierOverflowException();
    }

    /// <summary>Decrypts on all cores; if any value overflows, throws for the lowest such index and returns nothing.</summary>
    public BigInteger[] DecryptBatch(IReadOnlyList<Ciphertext> ciphertexts)
    {
        using var pinned = new PinnedCiphertexts(key.PublicKey, ciphertexts, nameof(ciphertexts));
        var result = new BigInteger[pinned.Count];
        var firstOverflow = ParallelChunks.FirstFailure(pinned.Count, (start, end) =>
        {
            using var scratch = CreateScratch();
            using var s = scratch.Pin();
            using var secrets = key.Secrets.Pin();
            for (var i = start; i < end; i++)
            {
                DecryptCore(pinned.Pointers[i], secrets, s);
                var value = Interpret(s[Plain]);
                if (value is null)
                {
                    return i;
                }

                result[i] = value.Value;
            }

            return -1;
        });

        if (firstOverflow >= 0)
        {
            throw new PaillierOverflowException($"Ciphertext {firstOverflow} decrypts to a value outside ±MaxSafePlaintext: the encrypted computation overflowed, or it was not made under this key.");
        }

        return result;
    }

    /// <summary>s[Plain] = the plaintext in [0, n).</summary>
    private void DecryptCore(Mpz* c, GmpPin secrets, GmpPin s)
    {
        HalfDecrypt(s[MP], c, secrets[PaillierPrivateKey.P], secrets[PaillierPrivateKey.PSquared], secrets[PaillierPrivateKey.PMinusOne], secrets[PaillierPrivateKey.Hp], s);
        HalfDecrypt(s[MQ], c, secrets[PaillierPrivateKey.Q], secrets[PaillierPrivateKey.QSquared], secrets[PaillierPrivateKey.QMinusOne], secrets[PaillierPrivateKey.Hq], s);

        // Garner: m = mq + q·((mp − mq)·q⁻¹ mod p).
        GmpNative.Subtract(s[T], s[MP], s[MQ]);
        GmpNative.Multiply(s[U], s[T], secrets[PaillierPrivateKey.QInverse]);
        GmpNative.Mod(s[T], s[U], secrets[PaillierPrivateKey.P]);
        GmpNative.Multiply(s[U], s[T], secrets[PaillierPrivateKey.Q]);
        GmpNative.Add(s[Plain], s[U], s[MQ]);
    }

    /// <summary>result = L_p(c^(p−1) mod p²)·hp mod p, i.e. m mod p.</summary>
    private static void HalfDecrypt(Mpz* result, Mpz* c, Mpz* p, Mpz* pSquared, Mpz* pMinusOne, Mpz* hp, GmpPin s)
    {
        GmpNative.Remainder(s[T], c, pSquared);
        GmpNative.PowModSecure(s[U], s[T], pMinusOne, pSquared);
        GmpNative.SubtractUnsigned(s[U], s[U], 1);
        GmpNative.DivideExact(s[T], s[U], p);
        GmpNative.Multiply(s[U], s[T], hp);
        GmpNative.Remainder(result, s[U], p);
    }

    /// <summary>Maps [0, n/3] to itself and [n − n/3, n) to negatives; null for the overflow zone between.</summary>
    private BigInteger? Interpret(Mpz* m)
    {
        var publicKey = key.PublicKey;
        BigInteger? result = null;
        if (GmpNative.Compare(m, publicKey.MaxSafe.Pointer) <= 0)
        {
            result = GmpConvert.ToBigInteger(m);
        }
        else if (GmpNative.Compare(m, publicKey.NegativeThreshold.Pointer) >= 0)
        {
            GmpNative.Subtract(m, m, publicKey.N.Pointer);
            result = GmpConvert.ToBigInteger(m);
        }

        GC.KeepAlive(publicKey);
        return result;
    }

    private GmpIntegerArray CreateScratch() => GmpIntegerArray.Create(ScratchCount, key.PublicKey.ProductBits, secret: true);
}
