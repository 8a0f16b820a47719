using System.Numerics;

namespace VerticalFL.Crypto.Ckks;

/// <summary>
/// SEAL's CKKS encoder: slot i sits at the evaluation point ψ^(3^i) (generator 3, and its conjugate at
/// ψ^(−3^i)), the canonical embedding is inverted by SEAL's FFT (<see cref="ComplexFft"/>), coefficients are
/// rounded half away from zero, reduced per prime and NTT-transformed at the requested level. For the same input
/// the plaintext's residues equal SEAL's.
/// </summary>
public sealed class CkksEncoder
{
    private readonly CkksContext _context;
    private readonly ComplexFft _fft;
    private readonly int[] _slotIndex; // SEAL's matrix_reps_index_map: slot i → FFT position; i + N/2 → its conjugate

    public CkksEncoder(CkksContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        var n = context.N;
        _fft = new ComplexFft(n);
        _slotIndex = new int[n];
        var logN = BitOperations.Log2((uint)n);
        var m = 2UL * (ulong)n;
        ulong pos = 1;
        for (var i = 0; i < n / 2; i++)
        {
            _slotIndex[i] = PrimeMath.BitReverse((int)((pos - 1) >> 1), logN);
            _slotIndex[n / 2 + i] = PrimeMath.BitReverse((int)((m - pos - 1) >> 1), logN);
            pos = pos * 3 & (m - 1);
        }
    }

    /// <summary>N/2.</summary>
    public int SlotCount => _context.N / 2;

    /// <summary>Encodes up to N/2 reals (the rest are zero) at <paramref name="level"/> (default: the first data level).</summary>
    public Plaintext Encode(ReadOnlySpan<double> values, double scale, ParmsId? level = null) =>
        Encode(values, ReadOnlySpan<double>.Empty, scale, level);

    /// <summary>Complex packing: two real vectors in one plaintext, as the real and imaginary parts of the slots.</summary>
    public Plaintext Encode(ReadOnlySpan<double> real, ReadOnlySpan<double> imaginary, double scale, ParmsId? level = null)
    {
        var n = _context.N;
        CheckLength(real.Length, nameof(real));
        CheckLength(imaginary.Length, nameof(imaginary));
        var re = new double[n];
        var im = new double[n];
        for (var i = 0; i < real.Length; i++)
        {
            re[_slotIndex[i]] = real[i];
            re[_slotIndex[n / 2 + i]] = real[i];
        }
        for (var i = 0; i < imaginary.Length; i++)
        {
            im[_slotIndex[i]] = imaginary[i];
            im[_slotIndex[n / 2 + i]] = -imaginary[i];
        }
        return EncodeEmbedded(re, im, scale, level ?? _context.FirstParmsId);
    }

    public Plaintext Encode(ReadOnlySpan<Complex> values, double scale, ParmsId? level = null)
    {
        var real = new double[values.Length];
        var imaginary = new double[values.Length];
        for (var i = 0; i < values.Length; i++) (real[i], imaginary[i]) = (values[i].Real, values[i].Imaginary);
        return Encode(real, imaginary, scale, level);
    }

    /// <summary>The slots' real parts.</summary>
    public double[] Decode(Plaintext plain)
    {
        var (re, _) = DecodeEmbedded(plain);
        var slots = new double[SlotCount];
        for (var i = 0; i < slots.Length; i++) slots[i] = re[_slotIndex[i]];
        return slots;
    }

    public Complex[] DecodeComplex(Plaintext plain)
    {
        var (re, im) = DecodeEmbedded(plain);
        var slots = new Complex[SlotCount];
        for (var i = 0; i < slots.Length; i++) slots[i] = new Complex(re[_slotIndex[i]], im[_slotIndex[i]]);
        return slots;
    }

    private void CheckLength(int length, string name)
    {
        if (length > SlotCount) throw new ArgumentException($"At most {SlotCount} slots can be encoded; got {length}.", name);
    }

    private Plaintext EncodeEmbedded(double[] re, double[] im, double scale, ParmsId level)
    {
        var n = _context.N;
        var primeCount = _context.PrimeCountOf(level);
        var levelData = _context.Level(primeCount);
        if (!(scale > 0) || (int)Math.Log2(scale) + 1 >= levelData.ModulusBits)
            throw new ArgumentOutOfRangeException(nameof(scale), $"Scale 2^{Math.Log2(scale):0.##} does not fit the {levelData.ModulusBits}-bit modulus of this level.");
        _fft.FromRev(re, im, scale / n);
        var maxCoefficient = 0.0;
        foreach (var v in re) maxCoefficient = Math.Max(maxCoefficient, Math.Abs(v));
        if (double.IsNaN(maxCoefficient) || (int)Math.Ceiling(Math.Log2(Math.Max(maxCoefficient, 1.0))) + 1 >= levelData.ModulusBits)
            throw new ArgumentException("Encoded values are too large for the coefficient modulus at this scale (or not finite).");

        var data = new ulong[primeCount * n];
        var primes = levelData.Primes;
        for (var j = 0; j < n; j++)
        {
            var rounded = Math.Round(re[j], MidpointRounding.AwayFromZero);
            var negative = double.IsNegative(rounded);
            var magnitude = Math.Abs(rounded);
            for (var i = 0; i < primeCount; i++)
            {
                var residue = ReduceMagnitude(magnitude, primes[i]);
                data[i * n + j] = negative && residue != 0 ? primes[i] - residue : residue;
            }
        }
        for (var i = 0; i < primeCount; i++) _context.Ntt[i].Forward(data.AsSpan(i * n, n));
        return new Plaintext(data, n, primeCount, level, scale);
    }

    /// <summary>An integer-valued non-negative double modulo q, exactly.</summary>
    private static ulong ReduceMagnitude(double magnitude, ulong q)
    {
        if (magnitude < 18446744073709551616.0) return (ulong)magnitude % q;
        if (magnitude < 3.4028236692093846e38) return (ulong)((UInt128)magnitude % q);
        return (ulong)(new BigInteger(magnitude) % q);
    }

    private (double[] Re, double[] Im) DecodeEmbedded(Plaintext plain)
    {
        ArgumentNullException.ThrowIfNull(plain);
        var n = _context.N;
        if (plain.PolyModulusDegree != n) throw new ArgumentException($"Plaintext has N = {plain.PolyModulusDegree}, the context {n}.", nameof(plain));
        var primeCount = _context.PrimeCountOf(plain.ParmsId);
        if (plain.CoeffModulusCount != primeCount) throw new ArgumentException("Plaintext's size does not match its parms_id.", nameof(plain));
        if (!(plain.Scale > 0)) throw new ArgumentException("Plaintext scale must be positive.", nameof(plain));
        var coefficients = (ulong[])plain.Data.Clone();
        for (var i = 0; i < primeCount; i++) _context.Ntt[i].Inverse(coefficients.AsSpan(i * n, n));
        var re = new double[n];
        _context.Level(primeCount).ComposeCentredToDouble(coefficients, n, re, 1.0 / plain.Scale);
        var im = new double[n];
        _fft.ToRev(re, im);
        return (re, im);
    }
}
