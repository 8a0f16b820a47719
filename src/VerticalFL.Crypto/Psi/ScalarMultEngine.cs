namespace VerticalFL.Crypto.Psi;

/// <summary>The implementations of ristretto255 scalar multiplication <see cref="PsiKey"/> can use.</summary>
public enum ScalarMultEngine
{
    /// <summary>libsodium's <c>crypto_scalarmult_ristretto255</c>, one point at a time: runs everywhere.</summary>
    Libsodium,

    /// <summary>Eight points per instruction stream with AVX-512 (<see cref="Avx512.Avx512Ristretto"/>).</summary>
    Avx512,
}
