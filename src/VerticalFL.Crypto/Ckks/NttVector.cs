using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace VerticalFL.Crypto.Ckks;

/// <summary>
/// The NTT's butterflies on 8 (AVX-512) or 4 (AVX2) lanes. .NET has no 64-bit vector high multiply, so the
/// Shoup quotient's high word is built from four 32×32→64 products (<see cref="WideMultiply"/>). Each method
/// returns false, having done nothing, when the CPU lacks the path or the span is shorter than a vector.
/// </summary>
internal static class NttVector
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

    public static bool ForwardButterflies(Span<ulong> x, Span<ulong> y, ulong w, ulong wShoup, ulong q, NttPath path)
    {
        if (path == NttPath.Vector512 && x.Length >= 8 && x.Length % 8 == 0)
        {
            var vx = MemoryMarshal.Cast<ulong, Vector512<ulong>>(x);
            var vy = MemoryMarshal.Cast<ulong, Vector512<ulong>>(y);
            var vw = Vector512.Create(w);
            var vws = Vector512.Create(wShoup);
            var vq = Vector512.Create(q);
            var twoQ = vq + vq;
            for (var j = 0; j < vx.Length; j++)
            {
                var u = vx[j];
                u = Vector512.Min(u, u - twoQ);
                var v = MulShoupLazy(vy[j], vw, vws, vq);
                vx[j] = u + v;
                vy[j] = u + twoQ - v;
            }
            return true;
        }
        if (path == NttPath.Vector256 && x.Length >= 4 && x.Length % 4 == 0)
        {
            var vx = MemoryMarshal.Cast<ulong, Vector256<ulong>>(x);
            var vy = MemoryMarshal.Cast<ulong, Vector256<ulong>>(y);
            var vw = Vector256.Create(w);
            var vws = Vector256.Create(wShoup);
            var vq = Vector256.Create(q);
            var twoQ = vq + vq;
            for (var j = 0; j < vx.Length; j++)
            {
                var u = vx[j];
                u = Min(u, u - twoQ);
                var v = MulShoupLazy(vy[j], vw, vws, vq);
                vx[j] = u + v;
                vy[j] = u + twoQ - v;
            }
            return true;
        }
        return false;
    }

    public static bool InverseButterflies(Span<ulong> x, Span<ulong> y, ulong w, ulong wShoup, ulong q, NttPath path)
    {
        if (path == NttPath.Vector512 && x.Length >= 8 && x.Length % 8 == 0)
        {
            var vx = MemoryMarshal.Cast<ulong, Vector512<ulong>>(x);
            var vy = MemoryMarshal.Cast<ulong, Vector512<ulong>>(y);
            var vw = Vector512.Create(w);
            var vws = Vector512.Create(wShoup);
            var vq = Vector512.Create(q);
            var twoQ = vq + vq;
            for (var j = 0; j < vx.Length; j++)
            {
                var u = vx[j];
                var v = vy[j];
                var sum = u + v;
                vx[j] = Vector512.Min(sum, sum - twoQ);
                vy[j] = MulShoupLazy(u + twoQ - v, vw, vws, vq);
            }
            return true;
        }
        if (path == NttPath.Vector256 && x.Length >= 4 && x.Length % 4 == 0)
        {
            var vx = MemoryMarshal.Cast<ulong, Vector256<ulong>>(x);
            var vy = MemoryMarshal.Cast<ulong, Vector256<ulong>>(y);
            var vw = Vector256.Create(w);
            var vws = Vector256.Create(wShoup);
            var vq = Vector256.Create(q);
            var twoQ = vq + vq;
            for (var j = 0; j < vx.Length; j++)
            {
                var u = vx[j];
                var v = vy[j];
                var sum = u + v;
                vx[j] = Min(sum, sum - twoQ);
                vy[j] = MulShoupLazy(u + twoQ - v, vw, vws, vq);
            }
            return true;
        }
        return false;
    }

    /// <summary>values ← values·N⁻¹ mod q, fully reduced (inputs in [0, 2q)).</summary>
    public static bool ScaleAndReduce(Span<ulong> values, ulong w, ulong wShoup, ulong q, NttPath path)
    {
        if (path == NttPath.Vector512 && values.Length % 8 == 0)
        {
            var vv = MemoryMarshal.Cast<ulong, Vector512<ulong>>(values);
            var vw = Vector512.Create(w);
            var vws = Vector512.Create(wShoup);
            var vq = Vector512.Create(q);
            for (var j = 0; j < vv.Length; j++)
            {
                var r = MulShoupLazy(vv[j], vw, vws, vq);
                vv[j] = Vector512.Min(r, r - vq);
            }
            return true;
        }
        if (path == NttPath.Vector256 && values.Length % 4 == 0)
        {
            var vv = MemoryMarshal.Cast<ulong, Vector256<ulong>>(values);
            var vw = Vector256.Create(w);
            var vws = Vector256.Create(wShoup);
            var vq = Vector256.Create(q);
            for (var j = 0; j < vv.Length; j++)
            {
                var r = MulShoupLazy(vv[j], vw, vws, vq);
                vv[j] = Min(r, r - vq);
            }
            return true;
        }
        return false;
    }

    /// <summary>values in [0, 4q) → [0, q).</summary>
    public static bool ReduceFromFourQ(Span<ulong> values, ulong q, NttPath path)
    {
        if (path == NttPath.Vector512 && values.Length % 8 == 0)
        {
            var vv = MemoryMarshal.Cast<ulong, Vector512<ulong>>(values);
            var vq = Vector512.Create(q);
            var twoQ = vq + vq;
            for (var j = 0; j < vv.Length; j++)
            {
                var v = vv[j];
                v = Vector512.Min(v, v - twoQ);
                vv[j] = Vector512.Min(v, v - vq);
            }
            return true;
        }
        if (path == NttPath.Vector256 && values.Length % 4 == 0)
        {
            var vv = MemoryMarshal.Cast<ulong, Vector256<ulong>>(values);
            var vq = Vector256.Create(q);
            var twoQ = vq + vq;
            for (var j = 0; j < vv.Length; j++)
            {
                var v = vv[j];
                v = Min(v, v - twoQ);
                vv[j] = Min(v, v - vq);
            }
            return true;
        }
        return false;
    }

    /// <summary>x·w mod q in [0, 2q): x·w − ⌊x·w′/2^64⌋·q, wrapping.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> MulShoupLazy(Vector512<ulong> x, Vector512<ulong> w, Vector512<ulong> wShoup, Vector512<ulong> q)
    {
        WideMultiply(x, wShoup, out var high, out _);
        return x * w - high * q;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> MulShoupLazy(Vector256<ulong> x, Vector256<ulong> w, Vector256<ulong> wShoup, Vector256<ulong> q)
    {
        WideMultiply(x, wShoup, out var high, out _);
        return x * w - high * q;
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

/// <summary>Which butterfly implementation an NTT uses; all give identical residues.</summary>
internal enum NttPath
{
    Scalar,
    Vector256,
    Vector512,
}
