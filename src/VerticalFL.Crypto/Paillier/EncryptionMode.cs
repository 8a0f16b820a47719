namespace VerticalFL.Crypto.Paillier;

/// <summary>How <see cref="PaillierEncryptor"/> computes hs^s (see docs/security.md, "Paillier").</summary>
public enum EncryptionMode
{
    /// <summary>
    /// A precomputed fixed-base table indexed by the bytes of s: fastest, but the table look-ups depend on the
    /// secret randomness, so a co-located attacker watching the cache could learn it (and with it the plaintext).
    /// </summary>
    FixedBase,

    /// <summary>GMP's <c>mpz_powm_sec</c>: memory access and timing independent of s; several times slower.</summary>
    ConstantTime,
}
