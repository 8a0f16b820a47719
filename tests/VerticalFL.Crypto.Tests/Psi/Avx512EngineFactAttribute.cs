using VerticalFL.Crypto.Psi.Avx512;

namespace VerticalFL.Crypto.Tests.Psi;

/// <summary>A fact reported as skipped (never passed) on a CPU without the AVX-512 ristretto255 engine.</summary>
public sealed class Avx512EngineFactAttribute : FactAttribute
{
    public Avx512EngineFactAttribute()
    {
        if (!Avx512Ristretto.IsSupported) Skip = Avx512Skip.Reason;
    }
}

/// <summary>A theory reported as skipped (never passed) on a CPU without the AVX-512 ristretto255 engine.</summary>
public sealed class Avx512EngineTheoryAttribute : TheoryAttribute
{
    public Avx512EngineTheoryAttribute()
    {
        if (!Avx512Ristretto.IsSupported) Skip = Avx512Skip.Reason;
    }
}

/// <summary>A fact that only a CPU without AVX-512 can check (the engine's refusal); skipped elsewhere.</summary>
public sealed class CpuWithoutAvx512FactAttribute : FactAttribute
{
    public CpuWithoutAvx512FactAttribute()
    {
        if (Avx512Ristretto.IsSupported) Skip = "This CPU has AVX-512 F: the refusal on CPUs without it cannot be observed here.";
    }
}

internal static class Avx512Skip
{
    public const string Reason = "This CPU has no AVX-512 F (the ristretto255 AVX-512 engine cannot run here).";
}
