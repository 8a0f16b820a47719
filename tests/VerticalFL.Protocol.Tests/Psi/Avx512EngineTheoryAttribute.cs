using VerticalFL.Crypto.Psi;

namespace VerticalFL.Protocol.Tests.Psi;

/// <summary>A theory reported as skipped (never passed) on a CPU without the AVX-512 ristretto255 engine.</summary>
public sealed class Avx512EngineTheoryAttribute : TheoryAttribute
{
    public Avx512EngineTheoryAttribute()
    {
        if (PsiKey.FastestEngine != ScalarMultEngine.Avx512) Skip = "This CPU has no AVX-512 F (the ristretto255 AVX-512 engine cannot run here).";
    }
}
