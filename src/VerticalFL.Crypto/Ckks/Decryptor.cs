using System.Numerics;

namespace VerticalFL.Crypto.Ckks;

/// <summary>Decryption: m = c0 + c1·s at the ciphertext's level, in NTT form.</summary>
public sealed class Decryptor
{
    private readonly CkksContext _context;
    private readonly SecretKey _secretKey;

    public Decryptor(CkksContext context, SecretKey secretKey)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(secretKey);
        if (secretKey.ParmsId != context.KeyParmsId)
            throw new ArgumentException("The secret key belongs to other parameters (parms_id differs from the key level's).", nameof(secretKey));
        _context = context;
        _secretKey = secretKey;
    }

    public Plaintext Decrypt(Ciphertext encrypted)
    {
        var count = CheckCiphertext(encrypted);
        var n = _context.N;
        var data = new ulong[count * n];
        for (var i = 0; i < count; i++)
        {
            var m = data.AsSpan(i * n, n);
            RnsPoly.Multiply(encrypted.Residues(1, i), _secretKey.Residues(i), m, _context.Moduli[i]);
            RnsPoly.Add(m, encrypted.Residues(0, i), m, _context.Parameters.Primes[i]);
        }
        return new Plaintext(data, n, count, encrypted.ParmsId, encrypted.Scale);
    }

    /// <summary>
    /// Coefficient 0 of the decrypted polynomial, centred mod the level's Q, in O(L·N): per prime
    /// m₀ = N⁻¹·Σₖ m̂ₖ over the NTT-form values (the inverse NTT's first row is all N⁻¹), then CRT.
    /// Σ slots = (N/2)·m₀/Δ.
    /// </summary>
    public BigInteger DecryptCoefficient0(Ciphertext encrypted)
    {
        var count = CheckCiphertext(encrypted);
        Span<ulong> residues = stackalloc ulong[count];
        for (var i = 0; i < count; i++)
        {
            var modulus = _context.Moduli[i];
            var c0 = encrypted.Residues(0, i);
            var c1 = encrypted.Residues(1, i);
            var s = _secretKey.Residues(i);
            // Sums of reduced products stay below 2^124 for N ≤ 2^16 primes of ≤ 60 bits: one reduction at the end.
            UInt128 sum = 0;
            for (var j = 0; j < c0.Length; j++) sum += (UInt128)modulus.MulMod(c1[j], s[j]) + c0[j];
            var total = modulus.Reduce((ulong)(sum >> 64), (ulong)sum);
            residues[i] = modulus.MulMod(total, _context.Ntt[i].InverseN);
        }
        return _context.Level(count).ComposeCentred(residues);
    }

    private int CheckCiphertext(Ciphertext encrypted)
    {
        ArgumentNullException.ThrowIfNull(encrypted);
        if (!encrypted.IsNttForm) throw new ArgumentException("CKKS ciphertexts must be in NTT form.", nameof(encrypted));
        var count = _context.PrimeCountOf(encrypted.ParmsId);
        if (encrypted.CoeffModulusCount != count || encrypted.PolyModulusDegree != _context.N)
            throw new ArgumentException("The ciphertext's size does not match its parms_id.", nameof(encrypted));
        return count;
    }
}
