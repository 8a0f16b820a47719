using System.Numerics;

namespace VerticalFL.Crypto.Ckks;

/// <summary>
/// SEAL's CKKS encoder: slots ordered by powers of the generator 3, canonical embedding by SEAL's FFT, result
/// rounded, reduced per prime and NTT-transformed at the requested level.
/// </summary>
public sealed class CkksEncoder
{
    private readonly CkksContext _context;

    public CkksEncoder(CkksContext context) => _context = context;

    /// <summary>N/2.</summary>
    public int SlotCount => _context.N / 2;

    /// <summary>Encodes up to N/2 reals (the rest are zero) at <paramref name="level"/> (default: the first data level).</summary>
    public Plaintext Encode(ReadOnlySpan<double> values, double scale, ParmsId? level = null) => throw new NotImplementedException();

    /// <summary>Complex packing: two real vectors in one plaintext, as real and imaginary parts of the slots.</summary>
    public Plaintext Encode(ReadOnlySpan<double> real, ReadOnlySpan<double> imaginary, double scale, ParmsId? level = null) =>
        throw new NotImplementedException();

    public Plaintext Encode(ReadOnlySpan<Complex> values, double scale, ParmsId? level = null) => throw new NotImplementedException();

    /// <summary>The slots' real parts.</summary>
    public double[] Decode(Plaintext plain) => throw new NotImplementedException();

    public Complex[] DecodeComplex(Plaintext plain) => throw new NotImplementedException();
}
