namespace VerticalFL.Crypto.Ckks;

/// <summary>Coefficient-wise arithmetic on one prime's residues (all inputs and outputs fully reduced).</summary>
internal static class RnsPoly
{
    public static void Add(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> result, ulong q)
    {
        for (var j = 0; j < result.Length; j++)
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
