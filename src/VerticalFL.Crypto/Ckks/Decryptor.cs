using System.Numerics;

namespace VerticalFL.Crypto.Ckks;

/// <summary>Decryption: m = c0 + c1·s at the ciphertext's level, in NTT form.</summary>
public sealed class Decryptor
{
    private readonly CkksContext _context;
    private readonly SecretKey _secretKey;

    public Decryptor(CkksContext context, SecretKey secretKey)
    {
        _context = context;
        _secretKey = secretKey;
    }

    public Plaintext Decrypt(Ciphertext encrypted) => throw new NotImplementedException();

    /// <summary>
    /// Coefficient 0 of the decrypted polynomial, centred mod the level's Q, in O(L·N): per prime
    /// m₀ = N⁻¹·Σₖ m̂ₖ over the NTT-form values, then CRT. Σ slots = (N/2)·m₀/Δ.
    /// </summary>
    public BigInteger DecryptCoefficient0(Ciphertext encrypted) => throw new NotImplementedException();
}
