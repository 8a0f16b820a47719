namespace VerticalFL.Crypto.Ckks;

/// <summary>The homomorphic operations hetero LR needs, on NTT-form ciphertexts (SEAL's checks and semantics).</summary>
public sealed class Evaluator
{
    private readonly CkksContext _context;

    public Evaluator(CkksContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
    }

    public Ciphertext Add(Ciphertext a, Ciphertext b)
    {
        var result = a.Clone();
        Add(result, b, result);
        return result;
    }

    /// <summary>a + b into <paramref name="destination"/> (which may be a or b): no allocation, as SEAL's add with a destination.</summary>
    public void Add(Ciphertext a, Ciphertext b, Ciphertext destination)
    {
        var count = Check(a, nameof(a));
        Check(b, nameof(b));
        if (a.ParmsId != b.ParmsId) throw new ArgumentException("Ciphertexts are at different levels (parms_id mismatch).", nameof(b));
        if (destination.ParmsId != a.ParmsId || destination.PolyModulusDegree != a.PolyModulusDegree)
            throw new ArgumentException("The destination is at another level than the operands.", nameof(destination));
        RequireSameScale(a.Scale, b.Scale);
        var primes = _context.Parameters.Primes;
        for (var k = 0; k < Ciphertext.Size; k++)
        for (var i = 0; i < count; i++)
            RnsPoly.Add(a.Residues(k, i), b.Residues(k, i), destination.Residues(k, i), primes[i]);
        destination.Scale = a.Scale;
        destination.CorrectionFactor = a.CorrectionFactor;
    }

    public Ciphertext AddPlain(Ciphertext a, Plaintext b)
    {
        var count = Check(a, nameof(a));
        CheckPlain(b, a.ParmsId);
        RequireSameScale(a.Scale, b.Scale);
        var result = a.Clone();
        var primes = _context.Parameters.Primes;
        for (var i = 0; i < count; i++)
        {
            var r = result.Residues(0, i);
            RnsPoly.Add(r, b.Residues(i), r, primes[i]);
        }
        return result;
    }

    /// <summary>(c0·m, c1·m); the scales multiply.</summary>
    public Ciphertext MultiplyPlain(Ciphertext a, Plaintext b)
    {
        var result = a.Clone();
        MultiplyPlain(a, b, result);
        return result;
    }

    /// <summary>a ⊙ b into <paramref name="destination"/> (which may be a): no allocation, as SEAL's multiply_plain with a destination.</summary>
    public void MultiplyPlain(Ciphertext a, Plaintext b, Ciphertext destination)
    {
        var count = Check(a, nameof(a));
        CheckPlain(b, a.ParmsId);
        if (destination.ParmsId != a.ParmsId || destination.PolyModulusDegree != a.PolyModulusDegree)
            throw new ArgumentException("The destination is at another level than the operands.", nameof(destination));
        var scale = ProductScale(a.Scale, b.Scale, count);
        for (var k = 0; k < Ciphertext.Size; k++)
        for (var i = 0; i < count; i++)
            RnsPoly.Multiply(a.Residues(k, i), b.Residues(i), destination.Residues(k, i), _context.Moduli[i]);
        destination.Scale = scale;
        destination.IsNttForm = true;
        destination.CorrectionFactor = a.CorrectionFactor;
    }

    /// <summary>Drops the last prime (SEAL's <c>mod_switch_to_next</c> for NTT-form CKKS: no rescale).</summary>
    public Ciphertext ModSwitchToNext(Ciphertext a)
    {
        var count = Check(a, nameof(a));
        var next = NextCount(count, a.Scale);
        var n = _context.N;
        var result = new Ciphertext(n, next, _context.Parameters.ParmsIdAtLevel(next), isNttForm: true, a.Scale);
        for (var k = 0; k < Ciphertext.Size; k++)
        for (var i = 0; i < next; i++)
            a.Residues(k, i).CopyTo(result.Residues(k, i));
        return result;
    }

    public Plaintext ModSwitchToNext(Plaintext a)
    {
        ArgumentNullException.ThrowIfNull(a);
        var count = _context.PrimeCountOf(a.ParmsId);
        var next = NextCount(count, a.Scale);
        var n = _context.N;
        return new Plaintext(a.Data.AsSpan(0, next * n).ToArray(), n, next, _context.Parameters.ParmsIdAtLevel(next), a.Scale);
    }

    /// <summary>SEAL refuses to switch below the first data level's chain end or to a level the scale no longer fits.</summary>
    private int NextCount(int count, double scale)
    {
        if (count <= 1) throw new InvalidOperationException("Already at the last level: no prime left to drop.");
        if (count > _context.Parameters.FirstLevelPrimeCount)
            throw new InvalidOperationException("Key-level data cannot be switched; encrypt at a data level.");
        var next = count - 1;
        if (Math.Log2(scale) >= _context.Level(next).ModulusBits)
            throw new InvalidOperationException($"Scale 2^{Math.Log2(scale):0.##} does not fit the next level's {_context.Level(next).ModulusBits}-bit modulus.");
        return next;
    }

    internal double ProductScale(double a, double b, int count)
    {
        var scale = a * b;
        if (Math.Log2(scale) >= _context.Level(count).ModulusBits)
            throw new InvalidOperationException($"Product scale 2^{Math.Log2(scale):0.##} exceeds the level's {_context.Level(count).ModulusBits}-bit modulus.");
        return scale;
    }

    /// <summary>Scales must agree to SEAL's tolerance (relative 2^−48).</summary>
    internal static void RequireSameScale(double a, double b)
    {
        if (Math.Abs(a - b) > Math.Max(a, b) * Math.Pow(2, -48))
            throw new ArgumentException($"Scale mismatch: 2^{Math.Log2(a):0.####} and 2^{Math.Log2(b):0.####}.");
    }

    internal int Check(Ciphertext a, string name)
    {
        ArgumentNullException.ThrowIfNull(a, name);
        if (!a.IsNttForm) throw new ArgumentException("CKKS ciphertexts must be in NTT form.", name);
        var count = _context.PrimeCountOf(a.ParmsId);
        if (a.CoeffModulusCount != count || a.PolyModulusDegree != _context.N)
            throw new ArgumentException("The ciphertext's size does not match its parms_id.", name);
        return count;
    }

    internal void CheckPlain(Plaintext b, ParmsId level)
    {
        ArgumentNullException.ThrowIfNull(b);
        if (b.ParmsId != level) throw new ArgumentException("Plaintext and ciphertext are at different levels (parms_id mismatch).", nameof(b));
        if (b.PolyModulusDegree != _context.N || b.CoeffModulusCount != _context.PrimeCountOf(level))
            throw new ArgumentException("The plaintext's size does not match its parms_id.", nameof(b));
    }
}
