using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace VerticalFL.Crypto.Psi.Avx512;

/// <summary>
/// Eight elements of GF(2^255 − 19), one per 64-bit lane of ten <see cref="Vector512{T}"/> limbs, in signed
/// radix 2^25.5: limb i carries weight 2^⌈25.5·i⌉ and is 26 bits wide for even i, 25 for odd i.
/// </summary>
/// <remarks>
/// Bounds, which every caller must keep (the tests drive Mul and Square at these extremes):
/// <list type="bullet">
/// <item>"Carried" (the output of Mul, Square and Carry): |limb| ≤ 1.01·2^25 for even i, 1.01·2^24 for odd i.</item>
/// <item>Mul and Square take sums of at most three carried values (|limb| &lt; 1.65·2^26 / 1.65·2^25), so that
/// 19·limb and 2·limb still fit the signed 32-bit inputs of <c>vpmuldq</c> and no 64-bit sum overflows (≤ 2^61).</item>
/// </list>
/// Nothing here branches on or indexes by lane values: per-lane decisions are masks (all ones or all zeros).
/// </remarks>
[SkipLocalsInit] // stack temporaries are written before they are read; zeroing them cost ~15% of a point doubling
internal struct FieldElement8
{
    public Vector512<long> L0, L1, L2, L3, L4, L5, L6, L7, L8, L9;

    private static readonly int[] LimbOffsets = [0, 26, 51, 77, 102, 128, 153, 179, 204, 230];

    private static Vector512<long> M(Vector512<long> a, Vector512<long> b) => Avx512F.Multiply(a.AsInt32(), b.AsInt32());

    private static Vector512<long> Times19(Vector512<long> a) => (a << 4) + (a << 1) + a;

    /// <summary>The same canonical value in every lane.</summary>
    public static FieldElement8 Broadcast(BigInteger value)
    {
        Span<long> lanes = stackalloc long[10 * 8];
        var reduced = BigInteger.Remainder(value, Curve25519.P);
        if (reduced.Sign < 0)
            reduced += Curve25519.P;
        for (int i = 0; i < 10; i++)
            lanes.Slice(i * 8, 8).Fill((long)((reduced >> LimbOffsets[i]) & ((BigInteger.One << LimbWidth(i)) - 1)));
        return FromLanes(lanes);
    }

    public static int LimbWidth(int i) => (i & 1) == 0 ? 26 : 25;

    /// <summary>h = f·g, carried.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Mul(in FieldElement8 f, in FieldElement8 g, out FieldElement8 h)
    {
        Vector512<long> f0 = f.L0, f1 = f.L1, f2 = f.L2, f3 = f.L3, f4 = f.L4, f5 = f.L5, f6 = f.L6, f7 = f.L7, f8 = f.L8, f9 = f.L9;
        Vector512<long> g0 = g.L0, g1 = g.L1, g2 = g.L2, g3 = g.L3, g4 = g.L4, g5 = g.L5, g6 = g.L6, g7 = g.L7, g8 = g.L8, g9 = g.L9;
        // Limb products whose weights wrap past 2^255 come back times 19; odd×odd products carry an extra factor 2.
        Vector512<long> g19_1 = Times19(g1), g19_2 = Times19(g2), g19_3 = Times19(g3), g19_4 = Times19(g4), g19_5 = Times19(g5);
        Vector512<long> g19_6 = Times19(g6), g19_7 = Times19(g7), g19_8 = Times19(g8), g19_9 = Times19(g9);
        Vector512<long> f2_1 = f1 + f1, f2_3 = f3 + f3, f2_5 = f5 + f5, f2_7 = f7 + f7, f2_9 = f9 + f9;
        var h0 = M(f0, g0) + M(f2_1, g19_9) + M(f2, g19_8) + M(f2_3, g19_7) + M(f4, g19_6) + M(f2_5, g19_5) + M(f6, g19_4) + M(f2_7, g19_3) + M(f8, g19_2) + M(f2_9, g19_1);
        var h1 = M(f0, g1) + M(f1, g0) + M(f2, g19_9) + M(f3, g19_8) + M(f4, g19_7) + M(f5, g19_6) + M(f6, g19_5) + M(f7, g19_4) + M(f8, g19_3) + M(f9, g19_2);
        var h2 = M(f0, g2) + M(f2_1, g1) + M(f2, g0) + M(f2_3, g19_9) + M(f4, g19_8) + M(f2_5, g19_7) + M(f6, g19_6) + M(f2_7, g19_5) + M(f8, g19_4) + M(f2_9, g19_3);
        var h3 = M(f0, g3) + M(f1, g2) + M(f2, g1) + M(f3, g0) + M(f4, g19_9) + M(f5, g19_8) + M(f6, g19_7) + M(f7, g19_6) + M(f8, g19_5) + M(f9, g19_4);
        var h4 = M(f0, g4) + M(f2_1, g3) + M(f2, g2) + M(f2_3, g1) + M(f4, g0) + M(f2_5, g19_9) + M(f6, g19_8) + M(f2_7, g19_7) + M(f8, g19_6) + M(f2_9, g19_5);
        var h5 = M(f0, g5) + M(f1, g4) + M(f2, g3) + M(f3, g2) + M(f4, g1) + M(f5, g0) + M(f6, g19_9) + M(f7, g19_8) + M(f8, g19_7) + M(f9, g19_6);
        var h6 = M(f0, g6) + M(f2_1, g5) + M(f2, g4) + M(f2_3, g3) + M(f4, g2) + M(f2_5, g1) + M(f6, g0) + M(f2_7, g19_9) + M(f8, g19_8) + M(f2_9, g19_7);
        var h7 = M(f0, g7) + M(f1, g6) + M(f2, g5) + M(f3, g4) + M(f4, g3) + M(f5, g2) + M(f6, g1) + M(f7, g0) + M(f8, g19_9) + M(f9, g19_8);
        var h8 = M(f0, g8) + M(f2_1, g7) + M(f2, g6) + M(f2_3, g5) + M(f4, g4) + M(f2_5, g3) + M(f6, g2) + M(f2_7, g1) + M(f8, g0) + M(f2_9, g19_9);
        var h9 = M(f0, g9) + M(f1, g8) + M(f2, g7) + M(f3, g6) + M(f4, g5) + M(f5, g4) + M(f6, g3) + M(f7, g2) + M(f8, g1) + M(f9, g0);
        CarryInto(out h, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
    }

    /// <summary>h = f², carried (each cross product computed once, doubled).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Square(in FieldElement8 f, out FieldElement8 h)
    {
        Vector512<long> f0 = f.L0, f1 = f.L1, f2 = f.L2, f3 = f.L3, f4 = f.L4, f5 = f.L5, f6 = f.L6, f7 = f.L7, f8 = f.L8, f9 = f.L9;
        Vector512<long> f2_0 = f0 + f0, f2_1 = f1 + f1, f2_2 = f2 + f2, f2_3 = f3 + f3, f2_4 = f4 + f4;
        Vector512<long> f2_5 = f5 + f5, f2_6 = f6 + f6, f2_7 = f7 + f7, f2_8 = f8 + f8, f2_9 = f9 + f9;
        Vector512<long> f19_5 = Times19(f5), f19_6 = Times19(f6), f19_7 = Times19(f7), f19_8 = Times19(f8), f19_9 = Times19(f9);
        Vector512<long> f38_7 = f19_7 + f19_7, f38_9 = f19_9 + f19_9;
        var h0 = M(f0, f0) + M(f2_1, f38_9) + M(f2_2, f19_8) + M(f2_3, f38_7) + M(f2_4, f19_6) + M(f2_5, f19_5);
        var h1 = M(f2_0, f1) + M(f2_2, f19_9) + M(f2_3, f19_8) + M(f2_4, f19_7) + M(f2_5, f19_6);
        var h2 = M(f2_0, f2) + M(f2_1, f1) + M(f2_3, f38_9) + M(f2_4, f19_8) + M(f2_5, f38_7) + M(f6, f19_6);
        var h3 = M(f2_0, f3) + M(f2_1, f2) + M(f2_4, f19_9) + M(f2_5, f19_8) + M(f2_6, f19_7);
        var h4 = M(f2_0, f4) + M(f2_1, f2_3) + M(f2, f2) + M(f2_5, f38_9) + M(f2_6, f19_8) + M(f2_7, f19_7);
        var h5 = M(f2_0, f5) + M(f2_1, f4) + M(f2_2, f3) + M(f2_6, f19_9) + M(f2_7, f19_8);
        var h6 = M(f2_0, f6) + M(f2_1, f2_5) + M(f2_2, f4) + M(f2_3, f3) + M(f2_7, f38_9) + M(f8, f19_8);
        var h7 = M(f2_0, f7) + M(f2_1, f6) + M(f2_2, f5) + M(f2_3, f4) + M(f2_8, f19_9);
        var h8 = M(f2_0, f8) + M(f2_1, f2_7) + M(f2_2, f6) + M(f2_3, f2_5) + M(f4, f4) + M(f2_9, f19_9);
        var h9 = M(f2_0, f9) + M(f2_1, f8) + M(f2_2, f7) + M(f2_3, f6) + M(f2_4, f5);
        CarryInto(out h, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
    }

    /// <summary>Reduces every limb to the carried bounds (rounding carries, so limbs stay signed and small).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CarryInto(out FieldElement8 h,
        Vector512<long> h0, Vector512<long> h1, Vector512<long> h2, Vector512<long> h3, Vector512<long> h4,
        Vector512<long> h5, Vector512<long> h6, Vector512<long> h7, Vector512<long> h8, Vector512<long> h9)
    {
        // Two interleaved chains (0→1→2→3→4 and 4→5→…→9→0) so consecutive steps do not wait on each other.
        Vector512<long> c;
        c = Round26(h0); h1 += c; h0 -= c << 26;
        c = Round26(h4); h5 += c; h4 -= c << 26;
        c = Round25(h1); h2 += c; h1 -= c << 25;
        c = Round25(h5); h6 += c; h5 -= c << 25;
        c = Round26(h2); h3 += c; h2 -= c << 26;
        c = Round26(h6); h7 += c; h6 -= c << 26;
        c = Round25(h3); h4 += c; h3 -= c << 25;
        c = Round25(h7); h8 += c; h7 -= c << 25;
        c = Round26(h4); h5 += c; h4 -= c << 26;
        c = Round26(h8); h9 += c; h8 -= c << 26;
        c = Round25(h9); h0 += Times19(c); h9 -= c << 25;
        c = Round26(h0); h1 += c; h0 -= c << 26;
        h.L0 = h0; h.L1 = h1; h.L2 = h2; h.L3 = h3; h.L4 = h4; h.L5 = h5; h.L6 = h6; h.L7 = h7; h.L8 = h8; h.L9 = h9;
    }

    private static Vector512<long> Round26(Vector512<long> x) => Vector512.ShiftRightArithmetic(x + Vector512.Create(1L << 25), 26);

    private static Vector512<long> Round25(Vector512<long> x) => Vector512.ShiftRightArithmetic(x + Vector512.Create(1L << 24), 25);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Carry(ref FieldElement8 f) => CarryInto(out f, f.L0, f.L1, f.L2, f.L3, f.L4, f.L5, f.L6, f.L7, f.L8, f.L9);

    /// <summary>f squared <paramref name="times"/> times in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SquareTimes(ref FieldElement8 f, int times)
    {
        for (int i = 0; i < times; i++)
            Square(in f, out f);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(in FieldElement8 a, in FieldElement8 b, out FieldElement8 r)
    {
        r.L0 = a.L0 + b.L0; r.L1 = a.L1 + b.L1; r.L2 = a.L2 + b.L2; r.L3 = a.L3 + b.L3; r.L4 = a.L4 + b.L4;
        r.L5 = a.L5 + b.L5; r.L6 = a.L6 + b.L6; r.L7 = a.L7 + b.L7; r.L8 = a.L8 + b.L8; r.L9 = a.L9 + b.L9;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sub(in FieldElement8 a, in FieldElement8 b, out FieldElement8 r)
    {
        r.L0 = a.L0 - b.L0; r.L1 = a.L1 - b.L1; r.L2 = a.L2 - b.L2; r.L3 = a.L3 - b.L3; r.L4 = a.L4 - b.L4;
        r.L5 = a.L5 - b.L5; r.L6 = a.L6 - b.L6; r.L7 = a.L7 - b.L7; r.L8 = a.L8 - b.L8; r.L9 = a.L9 - b.L9;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Negate(in FieldElement8 a, out FieldElement8 r)
    {
        r.L0 = -a.L0; r.L1 = -a.L1; r.L2 = -a.L2; r.L3 = -a.L3; r.L4 = -a.L4;
        r.L5 = -a.L5; r.L6 = -a.L6; r.L7 = -a.L7; r.L8 = -a.L8; r.L9 = -a.L9;
    }

    /// <summary>r = mask ? a : b, lane by lane (mask lanes are all ones or all zeros).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Select(Vector512<long> mask, in FieldElement8 a, in FieldElement8 b, out FieldElement8 r)
    {
        r.L0 = Vector512.ConditionalSelect(mask, a.L0, b.L0); r.L1 = Vector512.ConditionalSelect(mask, a.L1, b.L1);
        r.L2 = Vector512.ConditionalSelect(mask, a.L2, b.L2); r.L3 = Vector512.ConditionalSelect(mask, a.L3, b.L3);
        r.L4 = Vector512.ConditionalSelect(mask, a.L4, b.L4); r.L5 = Vector512.ConditionalSelect(mask, a.L5, b.L5);
        r.L6 = Vector512.ConditionalSelect(mask, a.L6, b.L6); r.L7 = Vector512.ConditionalSelect(mask, a.L7, b.L7);
        r.L8 = Vector512.ConditionalSelect(mask, a.L8, b.L8); r.L9 = Vector512.ConditionalSelect(mask, a.L9, b.L9);
    }

    /// <summary>Negates the lanes where <paramref name="mask"/> is set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ConditionalNegate(ref FieldElement8 f, Vector512<long> mask)
    {
        Negate(in f, out var negated);
        Select(mask, in negated, in f, out f);
    }

    /// <summary>RFC 9496 CT_ABS: the non-negative one of ±f.</summary>
    public static void Abs(ref FieldElement8 f) => ConditionalNegate(ref f, IsNegative(in f));

    /// <summary>
    /// The unique representative in [0, p) with every limb in [0, 2^width). Computes q = ⌊f / p⌋ ∈ {−1, 0, 1}
    /// from the top down, then f − q·p by one carry pass that drops bit 255.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Freeze(in FieldElement8 f, out FieldElement8 r)
    {
        var h = f;
        Carry(ref h);
        var q = Vector512.ShiftRightArithmetic(Times19(h.L9) + Vector512.Create(1L << 24), 25);
        q = Vector512.ShiftRightArithmetic(h.L0 + q, 26); q = Vector512.ShiftRightArithmetic(h.L1 + q, 25);
        q = Vector512.ShiftRightArithmetic(h.L2 + q, 26); q = Vector512.ShiftRightArithmetic(h.L3 + q, 25);
        q = Vector512.ShiftRightArithmetic(h.L4 + q, 26); q = Vector512.ShiftRightArithmetic(h.L5 + q, 25);
        q = Vector512.ShiftRightArithmetic(h.L6 + q, 26); q = Vector512.ShiftRightArithmetic(h.L7 + q, 25);
        q = Vector512.ShiftRightArithmetic(h.L8 + q, 26); q = Vector512.ShiftRightArithmetic(h.L9 + q, 25);
        h.L0 += Times19(q);
        Vector512<long> c;
        c = Vector512.ShiftRightArithmetic(h.L0, 26); h.L1 += c; h.L0 -= c << 26;
        c = Vector512.ShiftRightArithmetic(h.L1, 25); h.L2 += c; h.L1 -= c << 25;
        c = Vector512.ShiftRightArithmetic(h.L2, 26); h.L3 += c; h.L2 -= c << 26;
        c = Vector512.ShiftRightArithmetic(h.L3, 25); h.L4 += c; h.L3 -= c << 25;
        c = Vector512.ShiftRightArithmetic(h.L4, 26); h.L5 += c; h.L4 -= c << 26;
        c = Vector512.ShiftRightArithmetic(h.L5, 25); h.L6 += c; h.L5 -= c << 25;
        c = Vector512.ShiftRightArithmetic(h.L6, 26); h.L7 += c; h.L6 -= c << 26;
        c = Vector512.ShiftRightArithmetic(h.L7, 25); h.L8 += c; h.L7 -= c << 25;
        c = Vector512.ShiftRightArithmetic(h.L8, 26); h.L9 += c; h.L8 -= c << 26;
        h.L9 &= Vector512.Create((1L << 25) - 1);
        r = h;
    }

    /// <summary>RFC 9496 IS_NEGATIVE: all ones in the lanes whose canonical value is odd.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Vector512<long> IsNegative(in FieldElement8 f)
    {
        Freeze(in f, out var canonical);
        return Vector512<long>.Zero - (canonical.L0 & Vector512<long>.One);
    }

    /// <summary>All ones in the lanes where f ≡ 0 (mod p).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Vector512<long> IsZero(in FieldElement8 f)
    {
        Freeze(in f, out var c);
        var any = c.L0 | c.L1 | c.L2 | c.L3 | c.L4 | c.L5 | c.L6 | c.L7 | c.L8 | c.L9;
        return Vector512.Equals(any, Vector512<long>.Zero);
    }

    /// <summary>All ones in the lanes where a ≡ b (mod p).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Vector512<long> AreEqual(in FieldElement8 a, in FieldElement8 b)
    {
        Sub(in a, in b, out var difference);
        return IsZero(in difference);
    }

    /// <summary>z^((p − 5) / 8) = z^(2^252 − 3), by the usual chain through z^(2^250 − 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Pow22523(in FieldElement8 z, out FieldElement8 r)
    {
        Square(in z, out var z2);                        // z^2
        SquareTimesThenMul(in z2, 2, in z, out var z9);  // z^9
        Mul(in z2, in z9, out var z11);                  // z^11
        SquareTimesThenMul(in z11, 1, in z9, out var z5); // z^(2^5 − 1)
        SquareTimesThenMul(in z5, 5, in z5, out var z10); // z^(2^10 − 1)
        SquareTimesThenMul(in z10, 10, in z10, out var z20);
        SquareTimesThenMul(in z20, 20, in z20, out var z40);
        SquareTimesThenMul(in z40, 10, in z10, out var z50);
        SquareTimesThenMul(in z50, 50, in z50, out var z100);
        SquareTimesThenMul(in z100, 100, in z100, out var z200);
        SquareTimesThenMul(in z200, 50, in z50, out var z250); // z^(2^250 − 1)
        SquareTimesThenMul(in z250, 2, in z, out r);      // z^(2^252 − 4 + 1)
    }

    /// <summary>r = x^(2^<paramref name="squarings"/>)·y: one link of an addition chain.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SquareTimesThenMul(in FieldElement8 x, int squarings, in FieldElement8 y, out FieldElement8 r)
    {
        var t = x;
        SquareTimes(ref t, squarings);
        Mul(in t, in y, out r);
    }

    /// <summary>
    /// RFC 9496 SQRT_RATIO_M1(u, v): r = the non-negative √(u/v) and all ones where u/v is a square;
    /// where it is not, r = √(i·u/v).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Vector512<long> SqrtRatioM1(in FieldElement8 u, in FieldElement8 v, out FieldElement8 r)
    {
        Square(in v, out var v2);
        Mul(in v2, in v, out var v3);
        Square(in v2, out var v4);
        Mul(in v4, in v3, out var v7);
        Mul(in u, in v3, out var uv3);
        Mul(in u, in v7, out var uv7);
        Pow22523(in uv7, out var power);
        Mul(in uv3, in power, out r);              // (u·v³)(u·v⁷)^((p−5)/8)

        Square(in r, out var r2);
        Mul(in v, in r2, out var check);
        Negate(in u, out var minusU);
        Mul(in minusU, in Curve25519.SqrtM1Field, out var minusUi);
        var correctSign = AreEqual(in check, in u);
        var flipped = AreEqual(in check, in minusU);
        var flippedI = AreEqual(in check, in minusUi);

        Mul(in Curve25519.SqrtM1Field, in r, out var rPrime);
        Select(flipped | flippedI, in rPrime, in r, out r);
        Abs(ref r);
        return correctSign | flipped;
    }

    /// <summary>Sets one lane from 32 little-endian bytes (bit 255 ignored; the value is not reduced).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SetLane(Span<long> lanes, int lane, ReadOnlySpan<byte> bytes)
    {
        Span<byte> padded = stackalloc byte[40];
        padded[32..].Clear();
        bytes[..32].CopyTo(padded);
        for (int i = 0; i < 10; i++)
        {
            int offset = LimbOffsets[i];
            ulong word = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(padded[(offset >> 3)..]);
            lanes[i * 8 + lane] = (long)((word >> (offset & 7)) & ((1UL << LimbWidth(i)) - 1));
        }
    }

    /// <summary>The element whose limb i, lane j is <c>lanes[i·8 + j]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static FieldElement8 FromLanes(ReadOnlySpan<long> lanes)
    {
        FieldElement8 f;
        f.L0 = Vector512.Create(lanes[0..8]); f.L1 = Vector512.Create(lanes[8..16]);
        f.L2 = Vector512.Create(lanes[16..24]); f.L3 = Vector512.Create(lanes[24..32]);
        f.L4 = Vector512.Create(lanes[32..40]); f.L5 = Vector512.Create(lanes[40..48]);
        f.L6 = Vector512.Create(lanes[48..56]); f.L7 = Vector512.Create(lanes[56..64]);
        f.L8 = Vector512.Create(lanes[64..72]); f.L9 = Vector512.Create(lanes[72..80]);
        return f;
    }

    /// <summary>Writes the canonical 32-byte little-endian encoding of every lane, lane j at bytes [32j, 32j + 32).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToBytes(in FieldElement8 f, Span<byte> output)
    {
        Freeze(in f, out var c);
        Span<Vector512<long>> limbs = [c.L0, c.L1, c.L2, c.L3, c.L4, c.L5, c.L6, c.L7, c.L8, c.L9];
        Span<ulong> words = stackalloc ulong[4];
        for (int lane = 0; lane < 8; lane++)
        {
            words.Clear();
            for (int i = 0; i < 10; i++)
            {
                ulong limb = (ulong)limbs[i].GetElement(lane);
                int offset = LimbOffsets[i], word = offset >> 6, shift = offset & 63;
                words[word] |= limb << shift;
                if (shift + LimbWidth(i) > 64)
                    words[word + 1] |= limb >> (64 - shift);
            }
            for (int w = 0; w < 4; w++)
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(output.Slice(lane * 32 + w * 8, 8), words[w]);
        }
    }
}
