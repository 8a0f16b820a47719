using System.Numerics;
using System.Security.Cryptography;
using VerticalFL.Crypto.Native;
using VerticalFL.Crypto.Concurrency;

namespace VerticalFL.Crypto.Paillier;

/// <summary>
/// DJN-style encryption c = (1+mn)·hs^s mod n² of signed plaintexts, with a short exponent s = 2^256 + r, r of
/// <see cref="FixedBaseTable.ExponentBits"/> random bits from the OS CSPRNG. Thread-safe.
/// </summary>
public sealed unsafe class PaillierEncryptor
{
    private const int Product = 0, Plaintext = 1, GeneratorPower = 2, Exponent = 3, ScratchCount = 4;

    public PaillierEncryptor(PaillierPublicKey key, EncryptionMode mode = EncryptionMode.FixedBase)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown encryption mode.");
        }

        Key = key;
        Mode = mode;
        if (mode == EncryptionMode.FixedBase)
        {
            _ = key.Table;
        }
    }

    public PaillierPublicKey Key { get; }

    public EncryptionMode Mode { get; }

    /// <summary>Encrypts a signed plaintext with |m| ≤ <see cref="PaillierPublicKey.MaxSafePlaintext"/>.</summary>
    public Ciphertext Encrypt(BigInteger plaintext)
    {
        EnsureSafe(plaintext, nameof(plaintext));
        var result = Ciphertext.Allocate(Key);
        using var scratch = CreateScratch();
        using var pin = scratch.Pin();
        GmpConvert.Set(pin[Plaintext], plaintext);
        EncryptCore(result.Value.Pointer, pin);
        return result;
    }

    /// <summary>Encrypts every plaintext on all cores; validates all of them before doing any work.</summary>
    public Ciphertext[] EncryptBatch(ReadOnlySpan<BigInteger> plaintexts)
    {
        for (var i = 0; i < plaintexts.Length; i++)
        {
            EnsureSafe(plaintexts[i], $"{nameof(plaintexts)}[{i}]");
        }

        using var values = GmpIntegerArray.Create(plaintexts.Length, Key.ModulusBits + 64, secret: true);
        using (var pin = values.Pin())
        {
            for (var i = 0; i < plaintexts.Length; i++)
            {
                GmpConvert.Set(pin[i], plaintexts[i]);
            }
        }

        return EncryptParallel(plaintexts.Length, (index, target) =>
        {
            using var pin = values.Pin();
            GmpNative.Set(target, pin[index]);
        });
    }

    /// <summary>Encrypts every plaintext on all cores; validates all of them before doing any work.</summary>
    public Ciphertext[] EncryptBatch(ReadOnlySpan<long> plaintexts)
    {
        for (var i = 0; i < plaintexts.Length; i++)
        {
            EnsureSafe(plaintexts[i], $"{nameof(plaintexts)}[{i}]");
        }

        var values = plaintexts.ToArray();
        return EncryptParallel(values.Length, (index, target) => GmpNative.SetSigned(target, (nint)values[index]));
    }

    private delegate void PlaintextLoader(int index, Mpz* target);

    private Ciphertext[] EncryptParallel(int count, PlaintextLoader load)
    {
        var result = Ciphertext.AllocateMany(Key, count);
        ParallelChunks.For(count, (start, end) =>
        {
            using var scratch = CreateScratch();
            using var pin = scratch.Pin();
            for (var i = start; i < end; i++)
            {
                load(i, pin[Plaintext]);
                EncryptCore(result[i].Value.Pointer, pin);
            }
        });
        return result;
    }

    /// <summary>result = (1+mn)·hs^s mod n² for the plaintext in the scratch space and a fresh random s.</summary>
    private void EncryptCore(Mpz* result, GmpPin scratch)
    {
        Span<byte> s = stackalloc byte[ExponentBytes];
        NewExponent(s);
        EncryptWithExponent(result, scratch, s);
        s.Clear();
    }

    /// <summary>Bytes of the exponent s, little-endian.</summary>
    internal const int ExponentBytes = FixedBaseTable.ExponentBytes + 1;

    /// <summary>
    /// s = 2^256 + r, r from the OS CSPRNG: 256 random bits under a fixed top bit, so powm_sec (whose running
    /// time depends on the exponent's length) always sees a 257-bit exponent and no random bit is spent on it.
    /// </summary>
    internal static void NewExponent(Span<byte> s)
    {
        RandomNumberGenerator.Fill(s[..FixedBaseTable.ExponentBytes]);
        s[FixedBaseTable.ExponentBytes] = 1;
    }

    /// <summary>Known-answer tests only: encrypts with the given little-endian exponent s.</summary>
    internal Ciphertext EncryptForTesting(BigInteger plaintext, ReadOnlySpan<byte> exponent)
    {
        var result = Ciphertext.Allocate(Key);
        using var scratch = CreateScratch();
        using var pin = scratch.Pin();
        GmpConvert.Set(pin[Plaintext], plaintext);
        EncryptWithExponent(result.Value.Pointer, pin, exponent.ToArray());
        return result;
    }

    private void EncryptWithExponent(Mpz* result, GmpPin scratch, Span<byte> s)
    {
        var nn = Key.NSquared.Pointer;
        if (Mode == EncryptionMode.FixedBase)
        {
            Key.Table.Power(result, s, scratch[Product]);
        }
        else
        {
            s.Reverse(); // little-endian digits → big-endian number
            GmpConvert.SetBigEndian(scratch[Exponent], s);
            GmpNative.PowModSecure(result, Key.Hs.Pointer, scratch[Exponent], nn);
            GmpConvert.Wipe(scratch[Exponent]);
        }

        if (scratch[Plaintext]->Size != 0)
        {
            ModMath.GeneratorPower(scratch[GeneratorPower], scratch[Plaintext], Key.N.Pointer);
            ModMath.Multiply(result, result, scratch[GeneratorPower], nn, scratch[Product]);
        }

        GC.KeepAlive(Key);
    }

    private GmpIntegerArray CreateScratch() => GmpIntegerArray.Create(ScratchCount, Key.ProductBits, secret: true);

    private void EnsureSafe(BigInteger plaintext, string parameterName)
    {
        if (BigInteger.Abs(plaintext) > Key.MaxSafePlaintext)
        {
            throw new ArgumentOutOfRangeException(parameterName, "|plaintext| exceeds the key's MaxSafePlaintext (about n/3); scale it down.");
        }
    }
}
