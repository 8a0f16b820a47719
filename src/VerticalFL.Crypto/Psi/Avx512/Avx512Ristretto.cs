using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;

namespace VerticalFL.Crypto.Psi.Avx512;

/// <summary>
/// ristretto255 scalar multiplication of many points by one secret scalar, eight points per AVX-512
/// instruction stream. Same results as libsodium's <c>crypto_scalarmult_ristretto255</c> (the tests compare them),
/// at several times its throughput, because one 8-lane field multiplication costs about as much as three scalar ones.
/// </summary>
/// <remarks>
/// Constant time in the scalar: a fixed sequence of 252 doublings and 64 additions, with every table entry read
/// for each signed 4-bit digit and the wanted one kept by masks. Point validity (public data) may branch.
/// The engine's methods are marked AggressiveOptimization: under tiered compilation they would otherwise run
/// unoptimised (tier 0, then instrumented) for the first seconds of every process.
/// </remarks>
[SkipLocalsInit]
internal static unsafe class Avx512Ristretto
{
    private const int Lanes = 8;
    private const int PointSize = 32;
    private const int Digits = 64;
    private const int TableSize = 8;

    /// <summary>AVX-512F for vpmuldq, and the full AVX-512 set .NET needs to run Vector512 in hardware rather than emulate it.</summary>
    public static bool IsSupported => Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    /// <summary>The encoding of the ristretto255 generator (RFC 9496 A.1): filler for unused lanes.</summary>
    private static ReadOnlySpan<byte> Generator =>
    [
        0xe2, 0xf2, 0xae, 0x0a, 0x6a, 0xbc, 0x4e, 0x71, 0xa8, 0x84, 0xa9, 0x61, 0xc5, 0x00, 0x51, 0x5f,
        0x58, 0xe3, 0x0b, 0x6a, 0xa5, 0x82, 0xdd, 0x8d, 0xb6, 0xa6, 0x59, 0x45, 0xe0, 0x8d, 0x2d, 0x76,
    ];

    /// <summary>
    /// output[i] = points[i]·scalar (32-byte encodings laid end to end; output may be points). Returns the index of
    /// the first point that is not a canonical encoding or whose product is the identity, or −1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Multiply(byte* scalar, ReadOnlySpan<byte> points, Span<byte> output)
    {
        RequireSupported();
        int count = points.Length / PointSize;
        Span<sbyte> digits = stackalloc sbyte[Digits];
        Span<byte> lanesIn = stackalloc byte[Lanes * PointSize];
        Span<byte> lanesOut = stackalloc byte[Lanes * PointSize];
        try
        {
            Recode(scalar, digits);
            for (int start = 0; start < count; start += Lanes)
            {
                int used = Math.Min(Lanes, count - start);
                for (int lane = used; lane < Lanes; lane++)
                    Generator.CopyTo(lanesIn[(lane * PointSize)..]);
                points.Slice(start * PointSize, used * PointSize).CopyTo(lanesIn);

                uint rejected = Ristretto8.Decode(lanesIn, out var p);
                int bad = MultiplyAndStore(in p, rejected, digits, lanesOut, output[(start * PointSize)..], used);
                if (bad >= 0)
                    return start + bad;
            }
            return -1;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(digits));
        }
    }

    /// <summary>
    /// output[i] = HashToGroup(salt, ids[i])·scalar, hashing and multiplying in one pass: the hashed point is never
    /// encoded and decoded in between.
    /// </summary>
    /// <exception cref="CryptographicException">A product is the identity (which a non-zero scalar never gives).</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void HashToGroupAndMultiply(byte* scalar, ReadOnlySpan<byte> salt, ReadOnlySpan<string> ids, Span<byte> output)
    {
        RequireSupported();
        Span<sbyte> digits = stackalloc sbyte[Digits];
        Span<byte> hashes = stackalloc byte[Lanes * Ristretto255.HashSize];
        Span<byte> lanesOut = stackalloc byte[Lanes * PointSize];
        try
        {
            Recode(scalar, digits);
            for (int start = 0; start < ids.Length; start += Lanes)
            {
                int used = Math.Min(Lanes, ids.Length - start);
                for (int lane = 0; lane < Lanes; lane++)   // unused lanes repeat the last id
                    Ristretto255.Hash(salt, ids[start + Math.Min(lane, used - 1)], hashes.Slice(lane * Ristretto255.HashSize, Ristretto255.HashSize));
                Ristretto8.FromHash(hashes, out var p);
                int bad = MultiplyAndStore(in p, rejected: 0, digits, lanesOut, output[(start * PointSize)..], used);
                if (bad >= 0)
                    throw new CryptographicException($"Hash-to-group times the scalar gave the identity for id {start + bad}.");
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(digits));
            CryptographicOperations.ZeroMemory(hashes);   // unblinded: SHA-512(salt ‖ id) determines H(id)
        }
    }

    private static void RequireSupported()
    {
        if (!IsSupported)
            throw new PlatformNotSupportedException("This CPU has no AVX-512; use the libsodium engine.");
    }

    /// <summary>
    /// Multiplies the eight points, writes the first <paramref name="used"/> products to <paramref name="output"/>,
    /// and returns the first of those lanes that was <paramref name="rejected"/> or gave the identity, or −1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int MultiplyAndStore(in EdwardsPoint8 p, uint rejected, ReadOnlySpan<sbyte> digits, Span<byte> lanesOut,
        Span<byte> output, int used)
    {
        MultiplyEight(in p, digits, lanesOut);
        lanesOut[..(used * PointSize)].CopyTo(output);
        for (int lane = 0; lane < used; lane++)
        {
            if ((rejected >> lane & 1) != 0 || IsIdentity(lanesOut.Slice(lane * PointSize, PointSize)))
                return lane;
        }
        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyEight(in EdwardsPoint8 p, ReadOnlySpan<sbyte> digits, Span<byte> output)
    {
        Span<CachedPoint8> table = stackalloc CachedPoint8[TableSize];
        FillTable(in p, table);

        var q = new EdwardsPoint8 { Y = Curve25519.OneField, Z = Curve25519.OneField };
        for (int i = Digits - 1; i >= 0; i--)
        {
            if (i != Digits - 1)
            {
                EdwardsPoint8.Double(in q, out q, withT: false);
                EdwardsPoint8.Double(in q, out q, withT: false);
                EdwardsPoint8.Double(in q, out q, withT: false);
                EdwardsPoint8.Double(in q, out q, withT: true);
            }
            Lookup(table, digits[i], out var addend);
            EdwardsPoint8.Add(in q, in addend, out q);
        }
        Ristretto8.Encode(in q, output);
    }

    /// <summary>table[j] = (j + 1)·p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FillTable(in EdwardsPoint8 p, Span<CachedPoint8> table)
    {
        CachedPoint8.From(in p, out table[0]);
        var multiple = p;
        for (int j = 1; j < TableSize; j++)
        {
            EdwardsPoint8.Add(in multiple, in table[0], out multiple);
            CachedPoint8.From(in multiple, out table[j]);
        }
    }

    /// <summary>digit·p for a digit in [−8, 8], reading every entry so the access pattern does not depend on it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Lookup(ReadOnlySpan<CachedPoint8> table, sbyte digit, out CachedPoint8 result)
    {
        int sign = digit >> 31;                      // −1 when negative
        int magnitude = (digit ^ sign) - sign;
        result = CachedPoint8.Identity;
        for (int j = 1; j <= TableSize; j++)
        {
            long equal = ((long)(uint)(magnitude ^ j) - 1) >> 63;   // all ones iff magnitude == j
            CachedPoint8.Select(Vector512.Create(equal), in table[j - 1], ref result);
        }
        CachedPoint8.ConditionalNegate(ref result, Vector512.Create((long)sign));
    }

    /// <summary>
    /// The scalar (bit 255 cleared, as libsodium does) as 64 signed radix-16 digits: digits[i] ∈ [−8, 8),
    /// digits[63] ∈ [0, 8], Σ digits[i]·16^i = scalar.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Recode(byte* scalar, Span<sbyte> digits)
    {
        for (int i = 0; i < 32; i++)
        {
            int b = i == 31 ? scalar[i] & 0x7f : scalar[i];
            digits[2 * i] = (sbyte)(b & 15);
            digits[2 * i + 1] = (sbyte)(b >> 4);
        }
        int carry = 0;
        for (int i = 0; i < Digits - 1; i++)
        {
            int d = digits[i] + carry;
            carry = (d + 8) >> 4;
            digits[i] = (sbyte)(d - (carry << 4));
        }
        digits[Digits - 1] += (sbyte)carry;
    }

    private static bool IsIdentity(ReadOnlySpan<byte> encoding) => !encoding.ContainsAnyExcept((byte)0);
}
