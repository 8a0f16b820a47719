using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace VerticalFL.Crypto.Ckks;

/// <summary>Which butterfly implementation an NTT uses; all give identical residues.</summary>
internal enum NttPath
{
    Scalar,
    Vector256,
    Vector512,
}

/// <summary>
/// NTT layers on 8 (AVX-512) or 4 (AVX2) lanes. .NET has no 64-bit vector high multiply, so the Shoup
/// quotient's high word is built from four 32×32→64 products (<see cref="WideMultiply"/>). Layers whose butterfly
/// distance is below 8 are done on AVX-512 by gathering the x and y halves of several butterflies into two
/// vectors with two-source permutes, one root per lane (roots expanded once per table).
/// </summary>
internal static unsafe class NttVector
{
    public static bool IsSupported(NttPath path) => path switch
    {
        NttPath.Scalar => true,
        NttPath.Vector256 => Avx2.IsSupported,
        NttPath.Vector512 => Avx512F.IsSupported && Avx512DQ.IsSupported,
        _ => false,
    };

    /// <summary>The widest path this CPU runs.</summary>
    public static NttPath Best { get; } = IsSupported(NttPath.Vector512) ? NttPath.Vector512 : IsSupported(NttPath.Vector256) ? NttPath.Vector256 : NttPath.Scalar;

    /// <summary>One Cooley–Tukey layer (m groups, distance gap ≥ 8), lazily in [0, 4q).</summary>
    public static void ForwardLayer512(ulong* values, int m, int gap, ulong* roots, ulong* rootsShoup, ulong q)
    {
        var vq = Vector512.Create(q);
        var twoQ = vq + vq;
        for (var i = 0; i < m; i++)
        {
            var w = Vector512.Create(roots[m + i]);
            var ws = Vector512.Create(rootsShoup[m + i]);
            var x = values + 2 * i * gap;
            var y = x + gap;
            for (var j = 0; j < gap; j += 8)
            {
                var u = Vector512.Load(x + j);
                u = Vector512.Min(u, u - twoQ);
                var v = MulShoupLazy(Vector512.Load(y + j), w, ws, vq);
                (u + v).Store(x + j);
                (u + twoQ - v).Store(y + j);
            }
        }
    }

    /// <summary>One Gentleman–Sande layer (distance gap ≥ 8), lazily in [0, 2q).</summary>
    public static void InverseLayer512(ulong* values, int m, int gap, ulong* roots, ulong* rootsShoup, ulong q)
    {
        var vq = Vector512.Create(q);
        var twoQ = vq + vq;
        for (var i = 0; i < m; i++)
        {
            var w = Vector512.Create(roots[m + i]);
            var ws = Vector512.Create(rootsShoup[m + i]);
            var x = values + 2 * i * gap;
            var y = x + gap;
            for (var j = 0; j < gap; j += 8)
            {
                var u = Vector512.Load(x + j);
                var v = Vector512.Load(y + j);
                var sum = u + v;
                Vector512.Min(sum, sum - twoQ).Store(x + j);
                MulShoupLazy(u + twoQ - v, w, ws, vq).Store(y + j);
            }
        }
    }

    /// <summary>
    /// A layer of distance 4, 2 or 1 over n values: each 16 values hold 16/(2·gap) butterflies; lanes of X and Y
    /// are their x and y inputs, <paramref name="laneRoots"/> the matching root per lane (8 per 16 values).
    /// </summary>
    public static void SmallGapLayer512(ulong* values, int n, int gap, ulong* laneRoots, ulong* laneRootsShoup, ulong q, bool inverse)
    {
        var (splitX, splitY, joinA, joinB) = Permutations(gap);
        var vq = Vector512.Create(q);
        var twoQ = vq + vq;
        for (var b = 0; b < n; b += 16)
        {
            var a0 = Vector512.Load(values + b);
            var a1 = Vector512.Load(values + b + 8);
            var x = Avx512F.PermuteVar8x64x2(a0, splitX, a1);
            var y = Avx512F.PermuteVar8x64x2(a0, splitY, a1);
            var w = Vector512.Load(laneRoots + b / 2);
            var ws = Vector512.Load(laneRootsShoup + b / 2);
            Vector512<ulong> newX, newY;
            if (inverse)
            {
                var sum = x + y;
                newX = Vector512.Min(sum, sum - twoQ);
                newY = MulShoupLazy(x + twoQ - y, w, ws, vq);
            }
            else
            {
                var u = Vector512.Min(x, x - twoQ);
                var v = MulShoupLazy(y, w, ws, vq);
                newX = u + v;
                newY = u + twoQ - v;
            }
            Avx512F.PermuteVar8x64x2(newX, joinA, newY).Store(values + b);
            Avx512F.PermuteVar8x64x2(newX, joinB, newY).Store(values + b + 8);
        }
    }

    /// <summary>Lane index vectors that split 16 values into butterfly halves and join them back.</summary>
    private static (Vector512<ulong> SplitX, Vector512<ulong> SplitY, Vector512<ulong> JoinA, Vector512<ulong> JoinB) Permutations(int gap) => gap switch
    {
        4 => (Vector512.Create(0UL, 1, 2, 3, 8, 9, 10, 11), Vector512.Create(4UL, 5, 6, 7, 12, 13, 14, 15),
              Vector512.Create(0UL, 1, 2, 3, 8, 9, 10, 11), Vector512.Create(4UL, 5, 6, 7, 12, 13, 14, 15)),
        2 => (Vector512.Create(0UL, 1, 4, 5, 8, 9, 12, 13), Vector512.Create(2UL, 3, 6, 7, 10, 11, 14, 15),
              Vector512.Create(0UL, 1, 8, 9, 2, 3, 10, 11), Vector512.Create(4UL, 5, 12, 13, 6, 7, 14, 15)),
        1 => (Vector512.Create(0UL, 2, 4, 6, 8, 10, 12, 14), Vector512.Create(1UL, 3, 5, 7, 9, 11, 13, 15),
              Vector512.Create(0UL, 8, 1, 9, 2, 10, 3, 11), Vector512.Create(4UL, 12, 5, 13, 6, 14, 7, 15)),
        _ => throw new ArgumentOutOfRangeException(nameof(gap)),
    };

    /// <summary>Forward layer on 4 lanes (gap ≥ 4).</summary>
    public static void ForwardLayer256(ulong* values, int m, int gap, ulong* roots, ulong* rootsShoup, ulong q)
    {
        var vq = Vector256.Create(q);
        var twoQ = vq + vq;
        for (var i = 0; i < m; i++)
        {
            var w = Vector256.Create(roots[m + i]);
            var ws = Vector256.Create(rootsShoup[m + i]);
            var x = values + 2 * i * gap;
            var y = x + gap;
            for (var j = 0; j < gap; j += 4)
            {
                var u = Vector256.Load(x + j);
                u = Min(u, u - twoQ);
                var v = MulShoupLazy(Vector256.Load(y + j), w, ws, vq);
                (u + v).Store(x + j);
                (u + twoQ - v).Store(y + j);
            }
        }
    }

    /// <summary>Inverse layer on 4 lanes (gap ≥ 4).</summary>
    public static void InverseLayer256(ulong* values, int m, int gap, ulong* roots, ulong* rootsShoup, ulong q)
    {
        var vq = Vector256.Create(q);
        var twoQ = vq + vq;
        for (var i = 0; i < m; i++)
        {
            var w = Vector256.Create(roots[m + i]);
            var ws = Vector256.Create(rootsShoup[m + i]);
            var x = values + 2 * i * gap;
            var y = x + gap;
            for (var j = 0; j < gap; j += 4)
            {
                var u = Vector256.Load(x + j);
                var v = Vector256.Load(y + j);
                var sum = u + v;
                Min(sum, sum - twoQ).Store(x + j);
                MulShoupLazy(u + twoQ - v, w, ws, vq).Store(y + j);
            }
        }
    }

    /// <summary>values ← values·w mod q, fully reduced (inputs below 2^64).</summary>
    public static void ScaleAndReduce(ulong* values, int n, ulong w, ulong wShoup, ulong q, NttPath path)
    {
        var j = 0;
        if (path == NttPath.Vector512)
        {
            var vw = Vector512.Create(w);
            var vws = Vector512.Create(wShoup);
            var vq = Vector512.Create(q);
            for (; j + 8 <= n; j += 8)
            {
                var r = MulShoupLazy(Vector512.Load(values + j), vw, vws, vq);
                Vector512.Min(r, r - vq).Store(values + j);
            }
        }
        else if (path == NttPath.Vector256)
        {
            var vw = Vector256.Create(w);
            var vws = Vector256.Create(wShoup);
            var vq = Vector256.Create(q);
            for (; j + 4 <= n; j += 4)
            {
                var r = MulShoupLazy(Vector256.Load(values + j), vw, vws, vq);
                Min(r, r - vq).Store(values + j);
            }
        }
        for (; j < n; j++)
        {
            var r = NttTables.MulShoupLazy(values[j], w, wShoup, q);
            values[j] = r >= q ? r - q : r;
        }
    }

    /// <summary>values in [0, 4q) → [0, q).</summary>
    public static void ReduceFromFourQ(ulong* values, int n, ulong q, NttPath path)
    {
        var j = 0;
        if (path == NttPath.Vector512)
        {
            var vq = Vector512.Create(q);
            var twoQ = vq + vq;
            for (; j + 8 <= n; j += 8)
            {
                var v = Vector512.Load(values + j);
                v = Vector512.Min(v, v - twoQ);
                Vector512.Min(v, v - vq).Store(values + j);
            }
        }
        else if (path == NttPath.Vector256)
        {
            var vq = Vector256.Create(q);
            var twoQ = vq + vq;
            for (; j + 4 <= n; j += 4)
            {
                var v = Vector256.Load(values + j);
                v = Min(v, v - twoQ);
                Min(v, v - vq).Store(values + j);
            }
        }
        var twoQScalar = 2 * q;
        for (; j < n; j++)
        {
            var v = values[j];
            if (v >= twoQScalar) v -= twoQScalar;
            values[j] = v >= q ? v - q : v;
        }
    }

    /// <summary>x·w mod q in [0, 2q): x·w − ⌊x·w′/2^64⌋·q, wrapping.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> MulShoupLazy(Vector512<ulong> x, Vector512<ulong> w, Vector512<ulong> wShoup, Vector512<ulong> q) =>
        x * w - MultiplyHigh(x, wShoup) * q;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> MulShoupLazy(Vector256<ulong> x, Vector256<ulong> w, Vector256<ulong> wShoup, Vector256<ulong> q)
    {
        WideMultiply(x, wShoup, out var high, out _);
        return x * w - high * q;
    }

    /// <summary>The high 64 bits of a·b per lane from four 32×32→64 multiplies (exact for all inputs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> MultiplyHigh(Vector512<ulong> a, Vector512<ulong> b)
    {
        var aHigh = a >>> 32;
        var bHigh = b >>> 32;
        var lowLow = Avx512F.Multiply(a.AsUInt32(), b.AsUInt32());
        var highLow = Avx512F.Multiply(aHigh.AsUInt32(), b.AsUInt32());
        var lowHigh = Avx512F.Multiply(a.AsUInt32(), bHigh.AsUInt32());
        var highHigh = Avx512F.Multiply(aHigh.AsUInt32(), bHigh.AsUInt32());
        var t = (lowLow >>> 32) + highLow;
        var u = (t & Vector512.Create(0xFFFF_FFFFUL)) + lowHigh;
        return highHigh + (t >>> 32) + (u >>> 32);
    }

    /// <summary>The full 128-bit products a·b per lane, from four 32×32→64 multiplies (exact for all inputs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WideMultiply(Vector512<ulong> a, Vector512<ulong> b, out Vector512<ulong> high, out Vector512<ulong> low)
    {
        var aHigh = a >>> 32;
        var bHigh = b >>> 32;
        var lowLow = Avx512F.Multiply(a.AsUInt32(), b.AsUInt32());
        var highLow = Avx512F.Multiply(aHigh.AsUInt32(), b.AsUInt32());
        var lowHigh = Avx512F.Multiply(a.AsUInt32(), bHigh.AsUInt32());
        var highHigh = Avx512F.Multiply(aHigh.AsUInt32(), bHigh.AsUInt32());
        var t = (lowLow >>> 32) + highLow;
        var u = (t & Vector512.Create(0xFFFF_FFFFUL)) + lowHigh;
        high = highHigh + (t >>> 32) + (u >>> 32);
        low = (u << 32) | (lowLow & Vector512.Create(0xFFFF_FFFFUL));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WideMultiply(Vector256<ulong> a, Vector256<ulong> b, out Vector256<ulong> high, out Vector256<ulong> low)
    {
        var aHigh = a >>> 32;
        var bHigh = b >>> 32;
        var lowLow = Avx2.Multiply(a.AsUInt32(), b.AsUInt32());
        var highLow = Avx2.Multiply(aHigh.AsUInt32(), b.AsUInt32());
        var lowHigh = Avx2.Multiply(a.AsUInt32(), bHigh.AsUInt32());
        var highHigh = Avx2.Multiply(aHigh.AsUInt32(), bHigh.AsUInt32());
        var t = (lowLow >>> 32) + highLow;
        var u = (t & Vector256.Create(0xFFFF_FFFFUL)) + lowHigh;
        high = highHigh + (t >>> 32) + (u >>> 32);
        low = (u << 32) | (lowLow & Vector256.Create(0xFFFF_FFFFUL));
    }

    /// <summary>Unsigned 64-bit lane minimum (AVX2 has no vpminuq; compare and select).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Min(Vector256<ulong> a, Vector256<ulong> b) => Vector256.ConditionalSelect(Vector256.LessThan(a, b), a, b);
}
