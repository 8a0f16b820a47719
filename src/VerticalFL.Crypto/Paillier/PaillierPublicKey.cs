using System.Diagnostics;
using System.Numerics;
using VerticalFL.Crypto.Native;

namespace VerticalFL.Crypto.Paillier;

/// <summary>
/// A Paillier public key with g = n+1 and the DJN generator hs = h^n mod n² (h = −x² mod n for a random x),
/// so encryption is (1+mn)·hs^s mod n² with a short random s. Anyone holding it can encrypt and evaluate.
/// </summary>
[DebuggerDisplay("Paillier public key, {ModulusBits} bits")]
public sealed unsafe class PaillierPublicKey
{
    private readonly Lazy<FixedBaseTable> table;

    /// <summary>Takes ownership of <paramref name="n"/> and <paramref name="hs"/>.</summary>
    internal PaillierPublicKey(GmpInteger n, GmpInteger hs)
    {
        N = n;
        Hs = hs;
        using var pin = n.Pin();
        ModulusBits = GmpConvert.BitLength(pin.Pointer);
        Modulus = GmpConvert.ToBigInteger(pin.Pointer);
        MaxSafePlaintext = Modulus / 3;
        NSquared = GmpInteger.FromBigInteger(Modulus * Modulus);
        MaxSafe = GmpInteger.FromBigInteger(MaxSafePlaintext);
        NegativeThreshold = GmpInteger.FromBigInteger(Modulus - MaxSafePlaintext);
        table = new Lazy<FixedBaseTable>(() => new FixedBaseTable(this), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Size of n in bits (2048 or 3072; 1024 for test-only keys).</summary>
    public int ModulusBits { get; }

    /// <summary>Bytes of one serialized ciphertext (a fixed-width big-endian number below n²).</summary>
    public int CiphertextBytes => 2 * ModulusBytes;

    public BigInteger Modulus { get; }

    /// <summary>
    /// The largest |m| that decrypts without <see cref="PaillierOverflowException"/>: floor(n/3). Values in
    /// [0, n/3] are positive, (2n/3, n) negative, the gap between is the overflow zone.
    /// </summary>
    public BigInteger MaxSafePlaintext { get; }

    internal int ModulusBytes => (ModulusBits + 7) / 8;

    /// <summary>Capacity in bits for numbers below n² (no reallocation in hot loops).</summary>
    internal int ResidueBits => 2 * ModulusBits + 64;

    /// <summary>Capacity in bits for the product of two numbers below n².</summary>
    internal int ProductBits => 4 * ModulusBits + 64;

    internal GmpInteger N { get; }

    internal GmpInteger NSquared { get; }

    internal GmpInteger Hs { get; }

    internal GmpInteger MaxSafe { get; }

    /// <summary>n − MaxSafePlaintext: decrypted values at or above it are negative.</summary>
    internal GmpInteger NegativeThreshold { get; }

    /// <summary>The fixed-base table for hs, built on first use and shared by all encryptors of this key.</summary>
    internal FixedBaseTable Table => table.Value;

    public byte[] Export()
    {
        var result = new byte[PaillierKeyFormat.PublicKeyBytes(ModulusBits)];
        PaillierKeyFormat.WriteHeader(result, PaillierKeyFormat.PublicKind, ModulusBits);
        using var n = N.Pin();
        using var hs = Hs.Pin();
        GmpConvert.WriteBigEndian(n.Pointer, result.AsSpan(PaillierKeyFormat.HeaderBytes, ModulusBytes));
        GmpConvert.WriteBigEndian(hs.Pointer, result.AsSpan(PaillierKeyFormat.HeaderBytes + ModulusBytes));
        return result;
    }

    /// <summary>Reads a key written by <see cref="Export"/>; throws <see cref="ArgumentException"/> on anything else.</summary>
    public static PaillierPublicKey Import(ReadOnlySpan<byte> source)
    {
        GmpLibrary.EnsureAvailable();
        var bits = PaillierKeyFormat.ReadHeader(source, PaillierKeyFormat.PublicKind, nameof(source));
        var body = source[PaillierKeyFormat.HeaderBytes..];
        var n = GmpInteger.Create(bits + 64);
        var hs = GmpInteger.Create(2 * bits + 64);
        try
        {
            GmpConvert.SetBigEndian(n.Pointer, body[..(bits / 8)]);
            GmpConvert.SetBigEndian(hs.Pointer, body[(bits / 8)..]);
            if (GmpConvert.BitLength(n.Pointer) != bits || !IsOdd(n.Pointer))
            {
                throw new ArgumentException($"The public key's modulus is not an odd {bits}-bit number.", nameof(source));
            }

            var key = new PaillierPublicKey(n, hs);
            key.ValidateGenerator(nameof(source));
            return key;
        }
        catch
        {
            n.Dispose();
            hs.Dispose();
            throw;
        }
    }

    /// <summary>True when both keys have the same modulus (ciphertexts of one are valid under the other).</summary>
    internal bool Matches(PaillierPublicKey other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        using var a = N.Pin();
        using var b = other.N.Pin();
        return GmpNative.Compare(a.Pointer, b.Pointer) == 0;
    }

    internal void EnsureMatches(PaillierPublicKey other, string parameterName)
    {
        if (!Matches(other))
        {
            throw new ArgumentException("The ciphertext belongs to a different Paillier key.", parameterName);
        }
    }

    /// <summary>hs must be a unit in (1, n²), otherwise encryption would leak or be undecryptable.</summary>
    internal void ValidateGenerator(string parameterName)
    {
        using var hs = Hs.Pin();
        using var n = N.Pin();
        using var nn = NSquared.Pin();
        using var gcd = GmpInteger.Create(ModulusBits + 64);
        GmpNative.Gcd(gcd.Pointer, hs.Pointer, n.Pointer);
        if (GmpNative.CompareUnsigned(hs.Pointer, 1) <= 0 || GmpNative.Compare(hs.Pointer, nn.Pointer) >= 0
            || GmpNative.CompareUnsigned(gcd.Pointer, 1) != 0)
        {
            throw new ArgumentException("The key's generator hs is not a unit below n².", parameterName);
        }
    }

    private static bool IsOdd(Mpz* x) => x->Size != 0 && (*(ulong*)x->Limbs & 1) == 1;
}
