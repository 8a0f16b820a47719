using System.Numerics;

namespace VerticalFL.Crypto.Ckks;

/// <summary>Coefficient-wise arithmetic on one prime's residues (all inputs and outputs fully reduced).</summary>
internal static class RnsPoly
{
    public static void Add(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> result, ulong q)
    {
        var j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // Branch-free: subtract q from the lanes whose sum reached it (sums stay below 2^61, no overflow).
            var modulus = new Vector<ulong>(q);
            for (; j <= result.Length - Vector<ulong>.Count; j += Vector<ulong>.Count)
            {
                var s = new Vector<ulong>(a[j..]) + new Vector<ulong>(b[j..]);
                (s - (Vector.GreaterThanOrEqual(s, modulus) & modulus)).CopyTo(result[j..]);
            }
        }
        for (; j < result.Length; j++)
        {
            var s = a[j] + b[j];
            result[j] = s >= q ? s - q : s;
        }
    }

    public static void Negate(Span<ulong> values, ulong q)
    {
        for (var j = 0; j < values.Length; j++) values[j] = values[j] == 0 ? 0 : q - values[j];
    }

    public static void Multiply(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> result, Barrett modulus)
    {
        for (var j = 0; j < result.Length; j++) result[j] = modulus.MulMod(a[j], b[j]);
    }
}
