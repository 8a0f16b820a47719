using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace VerticalFL.Crypto.Psi.Avx512;

/// <summary>ristretto255 decoding and encoding (RFC 9496 §4.3.1 and §4.3.2) of eight elements at once.</summary>
[SkipLocalsInit]
internal static class Ristretto8
{
    private const int Lanes = 8;
    private const int ElementSize = 32;

    /// <summary>
    /// Decodes eight 32-byte encodings laid end to end. Returns a bit per lane (bit j = lane j) that is set
    /// where the encoding is invalid; such lanes hold an arbitrary point and must be discarded.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static uint Decode(ReadOnlySpan<byte> encodings, out EdwardsPoint8 p)
    {
        uint rejected = 0;
        Span<long> lanes = stackalloc long[10 * Lanes];
        lanes.Clear();
        for (int lane = 0; lane < Lanes; lane++)
        {
            var s = encodings.Slice(lane * ElementSize, ElementSize);
            if (IsCanonicalAndNonNegative(s))
                FieldElement8.SetLane(lanes, lane, s);
            else
                rejected |= 1u << lane;   // decoded as s = 0 and discarded by the caller
        }
        var sField = FieldElement8.FromLanes(lanes);

        FieldElement8.Square(in sField, out var ss);
        FieldElement8.Sub(in Curve25519.OneField, in ss, out var u1);
        FieldElement8.Add(in Curve25519.OneField, in ss, out var u2);
        FieldElement8.Square(in u2, out var u2Squared);
        FieldElement8.Square(in u1, out var u1Squared);
        FieldElement8.Mul(in Curve25519.DField, in u1Squared, out var dU1Squared);
        FieldElement8.Add(in dU1Squared, in u2Squared, out var v);
        FieldElement8.Negate(in v, out v);                        // v = −(D·u1²) − u2²

        FieldElement8.Mul(in v, in u2Squared, out var vU2Squared);
        var wasSquare = FieldElement8.SqrtRatioM1(in Curve25519.OneField, in vU2Squared, out var invSqrt);
        FieldElement8.Mul(in invSqrt, in u2, out var denX);
        FieldElement8.Mul(in invSqrt, in denX, out var denY);
        FieldElement8.Mul(in denY, in v, out denY);

        FieldElement8.Mul(in sField, in denX, out var x);
        FieldElement8.Add(in x, in x, out x);                    // 2·s·den_x
        FieldElement8.Abs(ref x);
        FieldElement8.Mul(in u1, in denY, out var y);
        FieldElement8.Mul(in x, in y, out var t);

        var invalid = ~wasSquare | FieldElement8.IsNegative(in t) | FieldElement8.IsZero(in y);
        rejected |= (uint)Vector512.ExtractMostSignificantBits(invalid);

        p.X = x;
        p.Y = y;
        p.Z = Curve25519.OneField;
        p.T = t;
        return rejected;
    }

    /// <summary>Writes the 32-byte encoding of every lane, lane j at [32j, 32j + 32).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Encode(in EdwardsPoint8 p, Span<byte> output)
    {
        FieldElement8.Add(in p.Z, in p.Y, out var zPlusY);
        FieldElement8.Sub(in p.Z, in p.Y, out var zMinusY);
        FieldElement8.Mul(in zPlusY, in zMinusY, out var u1);
        FieldElement8.Mul(in p.X, in p.Y, out var u2);

        FieldElement8.Square(in u2, out var u2Squared);
        FieldElement8.Mul(in u1, in u2Squared, out var radicand);
        FieldElement8.SqrtRatioM1(in Curve25519.OneField, in radicand, out var invSqrt);
        FieldElement8.Mul(in invSqrt, in u1, out var den1);
        FieldElement8.Mul(in invSqrt, in u2, out var den2);
        FieldElement8.Mul(in den1, in den2, out var zInv);
        FieldElement8.Mul(in zInv, in p.T, out zInv);

        FieldElement8.Mul(in p.X, in Curve25519.SqrtM1Field, out var ix);
        FieldElement8.Mul(in p.Y, in Curve25519.SqrtM1Field, out var iy);
        FieldElement8.Mul(in den1, in Curve25519.InvSqrtAMinusDField, out var enchantedDenominator);
        FieldElement8.Mul(in p.T, in zInv, out var tZInv);
        var rotate = FieldElement8.IsNegative(in tZInv);

        FieldElement8.Select(rotate, in iy, in p.X, out var x);
        FieldElement8.Select(rotate, in ix, in p.Y, out var y);
        FieldElement8.Select(rotate, in enchantedDenominator, in den2, out var denInv);
        FieldElement8.Mul(in x, in zInv, out var xZInv);
        FieldElement8.ConditionalNegate(ref y, FieldElement8.IsNegative(in xZInv));

        FieldElement8.Sub(in p.Z, in y, out var zMinusYRotated);
        FieldElement8.Mul(in denInv, in zMinusYRotated, out var s);
        FieldElement8.Abs(ref s);
        FieldElement8.ToBytes(in s, output);
    }

    /// <summary>
    /// RFC 9496 §4.3.4 element derivation of eight 64-byte strings laid end to end (libsodium's
    /// <c>crypto_core_ristretto255_from_hash</c>): MAP of each 32-byte half (bit 255 dropped, not reduced), added.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FromHash(ReadOnlySpan<byte> hashes, out EdwardsPoint8 p)
    {
        Span<long> first = stackalloc long[10 * Lanes];
        Span<long> second = stackalloc long[10 * Lanes];
        for (int lane = 0; lane < Lanes; lane++)
        {
            FieldElement8.SetLane(first, lane, hashes.Slice(lane * 64, 32));
            FieldElement8.SetLane(second, lane, hashes.Slice(lane * 64 + 32, 32));
        }
        Map(FieldElement8.FromLanes(first), out var p1);
        Map(FieldElement8.FromLanes(second), out var p2);
        CachedPoint8.From(in p2, out var cached);
        EdwardsPoint8.Add(in p1, in cached, out p);
    }

    /// <summary>RFC 9496 MAP: the Elligator-style map from a field element to a point.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Map(in FieldElement8 t, out EdwardsPoint8 p)
    {
        FieldElement8.Square(in t, out var tSquared);
        FieldElement8.Mul(in Curve25519.SqrtM1Field, in tSquared, out var r);
        FieldElement8.Add(in r, in Curve25519.OneField, out var rPlusOne);
        FieldElement8.Mul(in rPlusOne, in Curve25519.OneMinusDSquaredField, out var u);
        FieldElement8.Mul(in r, in Curve25519.DField, out var rD);
        FieldElement8.Add(in rD, in Curve25519.OneField, out var minusA);
        FieldElement8.Negate(in minusA, out var a);                  // −1 − r·D
        FieldElement8.Add(in r, in Curve25519.DField, out var b);    // r + D
        FieldElement8.Mul(in a, in b, out var v);

        var wasSquare = FieldElement8.SqrtRatioM1(in u, in v, out var s);
        FieldElement8.Mul(in s, in t, out var sPrime);
        FieldElement8.Abs(ref sPrime);
        FieldElement8.Negate(in sPrime, out sPrime);
        FieldElement8.Select(wasSquare, in s, in sPrime, out s);
        FieldElement8.Select(wasSquare, in Curve25519.MinusOneField, in r, out var c);

        FieldElement8.Sub(in r, in Curve25519.OneField, out var rMinusOne);
        FieldElement8.Mul(in c, in rMinusOne, out var n);
        FieldElement8.Mul(in n, in Curve25519.DMinusOneSquaredField, out n);
        FieldElement8.Sub(in n, in v, out n);

        FieldElement8.Mul(in s, in v, out var w0);
        FieldElement8.Add(in w0, in w0, out w0);                     // 2·s·v
        FieldElement8.Mul(in n, in Curve25519.SqrtAdMinusOneField, out var w1);
        FieldElement8.Square(in s, out var sSquared);
        FieldElement8.Sub(in Curve25519.OneField, in sSquared, out var w2);
        FieldElement8.Add(in Curve25519.OneField, in sSquared, out var w3);

        FieldElement8.Mul(in w0, in w3, out p.X);
        FieldElement8.Mul(in w2, in w1, out p.Y);
        FieldElement8.Mul(in w1, in w3, out p.Z);
        FieldElement8.Mul(in w0, in w2, out p.T);
    }

    /// <summary>s &lt; p and s even: the only encodings RFC 9496 accepts (public data, so a plain comparison).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool IsCanonicalAndNonNegative(ReadOnlySpan<byte> s)
    {
        if ((s[0] & 1) != 0 || s[31] > 0x7f)
            return false;
        if (s[31] < 0x7f)
            return true;
        for (int i = 30; i >= 1; i--)
        {
            if (s[i] != 0xff)
                return true;
        }
        return s[0] < 0xed;   // p = 2^255 − 19 ends (little-endian) in 0xed, then 30 × 0xff, then 0x7f
    }
}
