namespace VerticalFL.Crypto.Ckks;

/// <summary>Makes a ternary secret key from the OS CSPRNG (or wraps a given one) and public keys for it.</summary>
public sealed class KeyGenerator
{
    private readonly CkksContext _context;

    public KeyGenerator(CkksContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        var n = context.N;
        var count = context.KeyPrimeCount;
        var data = new ulong[n * count];
        CkksSampler.Ternary(data, n, context.Parameters.Primes);
        for (var i = 0; i < count; i++) context.Ntt[i].Forward(data.AsSpan(i * n, n));
        SecretKey = new SecretKey(data, n, count, context.KeyParmsId);
    }

    /// <summary>Uses an existing secret key (e.g. one loaded from a file).</summary>
    public KeyGenerator(CkksContext context, SecretKey secretKey)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(secretKey);
        if (secretKey.ParmsId != context.KeyParmsId || secretKey.PolyModulusDegree != context.N)
            throw new ArgumentException("The secret key belongs to other parameters (parms_id differs from the key level's).", nameof(secretKey));
        _context = context;
        SecretKey = secretKey;
    }

    public SecretKey SecretKey { get; }

    /// <summary>SEAL's public key: (−(a·s + e), a) with a uniform in NTT form and e centred-binomial, at the key level.</summary>
    public PublicKey CreatePublicKey()
    {
        var n = _context.N;
        var count = _context.KeyPrimeCount;
        var primes = _context.Parameters.Primes;
        var key = new Ciphertext(n, count, _context.KeyParmsId, isNttForm: true, scale: 1.0);
        var a = key.Data.AsSpan(count * n, count * n);
        CkksSampler.Uniform(a, n, primes);
        var error = new ulong[count * n];
        CkksSampler.CenteredBinomial(error, n, primes);
        for (var i = 0; i < count; i++)
        {
            var e = error.AsSpan(i * n, n);
            _context.Ntt[i].Forward(e);
            var c0 = key.Residues(0, i);
            RnsPoly.Multiply(a.Slice(i * n, n), SecretKey.Residues(i), c0, _context.Moduli[i]);
            RnsPoly.Add(c0, e, c0, primes[i]);
            RnsPoly.Negate(c0, primes[i]);
        }
        Array.Clear(error);
        return new PublicKey(key);
    }
}
