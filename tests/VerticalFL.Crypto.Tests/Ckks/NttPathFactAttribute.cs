using System.Runtime.Intrinsics.X86;

namespace VerticalFL.Crypto.Tests.Ckks;

/// <summary>A fact that is reported as skipped (not passed) on a CPU without the given vector width.</summary>
public sealed class VectorWidthFactAttribute : FactAttribute
{
    public VectorWidthFactAttribute(int bits)
    {
        var supported = bits switch
        {
            512 => Avx512F.IsSupported && Avx512DQ.IsSupported,
            256 => Avx2.IsSupported,
            _ => throw new ArgumentOutOfRangeException(nameof(bits)),
        };
        if (!supported) Skip = $"This CPU has no {bits}-bit vector path (AVX-512 F+DQ or AVX2).";
    }
}
