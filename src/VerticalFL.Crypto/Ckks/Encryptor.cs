namespace VerticalFL.Crypto.Ckks;

/// <summary>
/// Public-key encryption as SEAL does it: zero is encrypted one level above the target (u ternary, errors
/// centred-binomial), divided and rounded by that level's last prime, and the plaintext added to c0.
/// </summary>
public sealed class Encryptor
{
    private readonly CkksContext _context;
    private readonly PublicKey _publicKey;

    public Encryptor(CkksContext context, PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(publicKey);
        if (publicKey.ParmsId != context.KeyParmsId)
            throw new ArgumentException("The public key belongs to other parameters (parms_id differs from the key level's).", nameof(publicKey));
        _context = context;
        _publicKey = publicKey;
    }

    public Ciphertext Encrypt(Plaintext plain)
    {
        ArgumentNullException.ThrowIfNull(plain);
        var count = _context.PrimeCountOf(plain.ParmsId);
        var encrypted = EncryptZero(plain.ParmsId);
        var primes = _context.Parameters.Primes;
        for (var i = 0; i < count; i++)
        {
            var c0 = encrypted.Residues(0, i);
            RnsPoly.Add(c0, plain.Residues(i), c0, primes[i]);
        }
        encrypted.Scale = plain.Scale;
        return encrypted;
    }

    /// <summary>A fresh NTT-form encryption of zero at <paramref name="level"/> (default: the first data level).</summary>
    public Ciphertext EncryptZero(ParmsId? level = null)
    {
        var parmsId = level ?? _context.FirstParmsId;
        var count = _context.PrimeCountOf(parmsId);
        if (count == _context.KeyPrimeCount) return EncryptZeroAt(count);
        var wide = EncryptZeroAt(count + 1);
        var result = new Ciphertext(_context.N, count, parmsId, isNttForm: true, scale: 1.0);
        for (var k = 0; k < Ciphertext.Size; k++) DivideAndRoundByLastPrime(wide, k, result);
        return result;
    }

    /// <summary>
    /// The random parts of an encryption of zero made directly at a level of <paramref name="count"/> data primes (no
    /// special prime, no rounding division): u ternary and e₁ centred-binomial, both NTT form, prime-major. The caller
    /// adds u·pk₀ to c₀ and u·pk₁ + e₁ to c₁ (<see cref="CiphertextAccumulator.ToRerandomizedCiphertext"/>). Without the
    /// special prime the added noise is u·e + e₁·s (a few thousand) instead of SEAL's rounded one; e₀ is left out by
    /// design, for ciphertexts whose c₀ never leaves its holder except masked (docs/protocol/hetero-lr-ckks.md).
    /// </summary>
    internal (ulong[] U, ulong[] E1) SampleZeroParts(int count)
    {
        var n = _context.N;
        var primes = _context.Parameters.Primes[..count];
        var u = new ulong[count * n];
        var e1 = new ulong[count * n];
        CkksSampler.Ternary(u, n, primes);
        CkksSampler.CenteredBinomial(e1, n, primes);
        for (var i = 0; i < count; i++)
        {
            _context.Ntt[i].Forward(u.AsSpan(i * n, n));
            _context.Ntt[i].Forward(e1.AsSpan(i * n, n));
        }
        return (u, e1);
    }

    /// <summary>pk_<paramref name="poly"/>'s NTT residues for prime <paramref name="prime"/>.</summary>
    internal ReadOnlySpan<ulong> PublicKeyResidues(int poly, int prime) =>
        _publicKey.Data.Data.AsSpan((poly * _context.KeyPrimeCount + prime) * _context.N, _context.N);

    /// <summary>(u·pk0 + e0, u·pk1 + e1) at the level with <paramref name="count"/> primes, NTT form.</summary>
    private Ciphertext EncryptZeroAt(int count)
    {
        var n = _context.N;
        var primes = _context.Parameters.Primes[..count];
        var keyCount = _context.KeyPrimeCount;
        var result = new Ciphertext(n, count, _context.Parameters.ParmsIdAtLevel(count), isNttForm: true, scale: 1.0);
        var u = new ulong[count * n];
        CkksSampler.Ternary(u, n, primes);
        var pk = _publicKey.Data.Data;
        for (var i = 0; i < count; i++)
        {
            var ui = u.AsSpan(i * n, n);
            _context.Ntt[i].Forward(ui);
            for (var k = 0; k < Ciphertext.Size; k++)
                RnsPoly.Multiply(ui, pk.AsSpan((k * keyCount + i) * n, n), result.Residues(k, i), _context.Moduli[i]);
        }
        for (var k = 0; k < Ciphertext.Size; k++)
        {
            CkksSampler.CenteredBinomial(u, n, primes);
            for (var i = 0; i < count; i++)
            {
                var e = u.AsSpan(i * n, n);
                _context.Ntt[i].Forward(e);
                var c = result.Residues(k, i);
                RnsPoly.Add(c, e, c, primes[i]);
            }
        }
        Array.Clear(u);
        return result;
    }

    /// <summary>
    /// SEAL's divide_and_round_q_last_ntt: cᵢ ← q_last⁻¹·(cᵢ − ((c_last + ⌊q_last/2⌋) mod q_last − ⌊q_last/2⌋)) mod qᵢ.
    /// </summary>
    private void DivideAndRoundByLastPrime(Ciphertext wide, int poly, Ciphertext result)
    {
        var n = _context.N;
        var last = wide.CoeffModulusCount - 1;
        var primes = _context.Parameters.Primes;
        var qLast = primes[last];
        var half = qLast >> 1;
        var lastValues = wide.Residues(poly, last).ToArray();
        _context.Ntt[last].Inverse(lastValues);
        for (var j = 0; j < n; j++)
        {
            var v = lastValues[j] + half;
            lastValues[j] = v >= qLast ? v - qLast : v;
        }
        var temp = new ulong[n];
        for (var i = 0; i < last; i++)
        {
            var q = primes[i];
            var negHalf = q - half % q;
            for (var j = 0; j < n; j++) temp[j] = _context.Moduli[i].Reduce(0, lastValues[j]) + negHalf; // < 2q: the NTT accepts it
            _context.Ntt[i].Forward(temp);
            var inverse = PrimeMath.InvMod(qLast % q, q);
            var source = wide.Residues(poly, i);
            var target = result.Residues(poly, i);
            for (var j = 0; j < n; j++)
            {
                var difference = source[j] >= temp[j] ? source[j] - temp[j] : source[j] + q - temp[j];
                target[j] = _context.Moduli[i].MulMod(difference, inverse);
            }
        }
    }
}
