using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace VerticalFL.Crypto.Psi.Avx512;

/// <summary>
/// Eight points of edwards25519 (−x² + y² = 1 + d·x²·y²) in extended coordinates: x = X/Z, y = Y/Z, x·y = T/Z.
/// Formulas: Hisil, Wong, Carter, Dawson, "Twisted Edwards Curves Revisited" (ASIACRYPT 2008), a = −1.
/// </summary>
[SkipLocalsInit]
internal struct EdwardsPoint8
{
    public FieldElement8 X, Y, Z, T;

    /// <summary>r = 2p (dbl-2008-hwcd, 4M + 4S; 3M + 4S when the caller does not need T, i.e. before another doubling).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Double(in EdwardsPoint8 p, out EdwardsPoint8 r, bool withT)
    {
        FieldElement8.Square(in p.X, out var a);
        FieldElement8.Square(in p.Y, out var b);
        FieldElement8.Square(in p.Z, out var zz);
        FieldElement8.Add(in p.X, in p.Y, out var xPlusY);
        FieldElement8.Square(in xPlusY, out var s);

        FieldElement8.Sub(in s, in a, out var e);
        FieldElement8.Sub(in e, in b, out e);          // E = (X + Y)² − A − B: 2XY
        FieldElement8.Sub(in b, in a, out var g);      // G = −A + B
        FieldElement8.Add(in a, in b, out var h);
        FieldElement8.Negate(in h, out h);             // H = −A − B
        FieldElement8.Sub(in g, in zz, out var f);
        FieldElement8.Sub(in f, in zz, out f);         // F = G − 2Z²: four carried terms, so carry before multiplying
        FieldElement8.Carry(ref f);

        FieldElement8.Mul(in e, in f, out r.X);
        FieldElement8.Mul(in g, in h, out r.Y);
        FieldElement8.Mul(in f, in g, out r.Z);
        if (withT)
            FieldElement8.Mul(in e, in h, out r.T);
        else
            r.T = default;
    }

    /// <summary>r = p + q (add-2008-hwcd-3, 8M).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add(in EdwardsPoint8 p, in CachedPoint8 q, out EdwardsPoint8 r)
    {
        FieldElement8.Sub(in p.Y, in p.X, out var yMinusX);
        FieldElement8.Add(in p.Y, in p.X, out var yPlusX);
        FieldElement8.Mul(in yMinusX, in q.YMinusX, out var a);
        FieldElement8.Mul(in yPlusX, in q.YPlusX, out var b);
        FieldElement8.Mul(in p.T, in q.T2d, out var c);
        FieldElement8.Mul(in p.Z, in q.Z2, out var d);

        FieldElement8.Sub(in b, in a, out var e);
        FieldElement8.Sub(in d, in c, out var f);
        FieldElement8.Add(in d, in c, out var g);
        FieldElement8.Add(in b, in a, out var h);

        FieldElement8.Mul(in e, in f, out r.X);
        FieldElement8.Mul(in g, in h, out r.Y);
        FieldElement8.Mul(in f, in g, out r.Z);
        FieldElement8.Mul(in e, in h, out r.T);
    }
}

/// <summary>A point prepared for addition: (Y + X, Y − X, 2Z, 2d·T).</summary>
[SkipLocalsInit]
internal struct CachedPoint8
{
    public FieldElement8 YPlusX, YMinusX, Z2, T2d;

    public static CachedPoint8 Identity => new()
    {
        YPlusX = Curve25519.OneField,
        YMinusX = Curve25519.OneField,
        Z2 = Curve25519.TwoField,
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void From(in EdwardsPoint8 p, out CachedPoint8 c)
    {
        FieldElement8.Add(in p.Y, in p.X, out c.YPlusX);
        FieldElement8.Sub(in p.Y, in p.X, out c.YMinusX);
        FieldElement8.Add(in p.Z, in p.Z, out c.Z2);
        FieldElement8.Mul(in p.T, in Curve25519.TwoDField, out c.T2d);
    }

    /// <summary>c = mask ? a : c in every lane; mask is the same in all lanes here (one scalar digit).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Select(Vector512<long> mask, in CachedPoint8 a, ref CachedPoint8 c)
    {
        FieldElement8.Select(mask, in a.YPlusX, in c.YPlusX, out c.YPlusX);
        FieldElement8.Select(mask, in a.YMinusX, in c.YMinusX, out c.YMinusX);
        FieldElement8.Select(mask, in a.Z2, in c.Z2, out c.Z2);
        FieldElement8.Select(mask, in a.T2d, in c.T2d, out c.T2d);
    }

    /// <summary>−c where the mask is set: swap Y + X with Y − X and negate T.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ConditionalNegate(ref CachedPoint8 c, Vector512<long> mask)
    {
        var plus = c.YPlusX;
        FieldElement8.Select(mask, in c.YMinusX, in plus, out c.YPlusX);
        FieldElement8.Select(mask, in plus, in c.YMinusX, out c.YMinusX);
        FieldElement8.ConditionalNegate(ref c.T2d, mask);
    }
}
