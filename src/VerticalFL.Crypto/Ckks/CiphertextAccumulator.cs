using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace VerticalFL.Crypto.Ckks;

/// <summary>
/// Σ ctₖ·ptₖ with a 128-bit accumulator per coefficient: products (each &lt; 2^120) are added unreduced and
/// every coefficient is reduced once, in <see cref="ToCiphertext"/>. After 255 products (the most a 128-bit sum
/// of 120-bit products holds exactly) the sums are folded back to residues and accumulation goes on.
/// </summary>
public sealed class CiphertextAccumulator
{
    private const int ProductsBeforeFold = 255;

    private readonly CkksContext _context;
    private readonly int _count;
    private readonly ulong[] _low, _high;
    private int _sinceFold;
    private double _scale;

    public CiphertextAccumulator(CkksContext context, ParmsId level)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _count = context.PrimeCountOf(level);
        Level = level;
        _low = new ulong[Ciphertext.Size * _count * context.N];
        _high = new ulong[_low.Length];
    }

    public ParmsId Level { get; }

    /// <summary>Number of products added.</summary>
    public int Count { get; private set; }

    /// <summary>Empties the accumulator for reuse (no new buffers).</summary>
    public void Clear()
    {
        Array.Clear(_low);
        Array.Clear(_high);
        _sinceFold = 0;
        Count = 0;
    }

    public void MultiplyPlainAdd(Ciphertext encrypted, Plaintext plain) => MultiplyPlainAdd(encrypted, plain, NttVector.Best);

    internal void MultiplyPlainAdd(Ciphertext encrypted, Plaintext plain, NttPath path)
    {
        ArgumentNullException.ThrowIfNull(encrypted);
        ArgumentNullException.ThrowIfNull(plain);
        if (!encrypted.IsNttForm) throw new ArgumentException("CKKS ciphertexts must be in NTT form.", nameof(encrypted));
        if (encrypted.ParmsId != Level || encrypted.CoeffModulusCount != _count)
            throw new ArgumentException("The ciphertext is not at the accumulator's level (parms_id mismatch).", nameof(encrypted));
        if (plain.ParmsId != Level || plain.CoeffModulusCount != _count)
            throw new ArgumentException("The plaintext is not at the accumulator's level (parms_id mismatch).", nameof(plain));
        var scale = encrypted.Scale * plain.Scale;
        if (Count == 0) _scale = scale;
        else Evaluator.RequireSameScale(_scale, scale);
        if (_sinceFold == ProductsBeforeFold) Fold();

        var n = _context.N;
        for (var k = 0; k < Ciphertext.Size; k++)
        for (var i = 0; i < _count; i++)
        {
            var offset = (k * _count + i) * n;
            Accumulate(encrypted.Residues(k, i), plain.Residues(i), _low.AsSpan(offset, n), _high.AsSpan(offset, n), path);
        }
        _sinceFold++;
        Count++;
    }

    public Ciphertext ToCiphertext()
    {
        if (Count == 0) throw new InvalidOperationException("Nothing has been accumulated.");
        var n = _context.N;
        var result = new Ciphertext(n, _count, Level, isNttForm: true, _scale);
        for (var k = 0; k < Ciphertext.Size; k++)
        for (var i = 0; i < _count; i++)
        {
            var offset = (k * _count + i) * n;
            var modulus = _context.Moduli[i];
            var target = result.Residues(k, i);
            for (var j = 0; j < n; j++) target[j] = modulus.Reduce(_high[offset + j], _low[offset + j]);
        }
        return result;
    }

    /// <summary>
    /// The sum re-randomised with a fresh encryption of zero made at this level by <paramref name="encryptor"/>:
    /// c₀ + u·pk₀ and c₁ + u·pk₁ + e₁ (u ternary, e₁ centred-binomial; see <see cref="Encryptor.SampleZeroParts"/>).
    /// c₁ becomes an RLWE sample under the fresh secret u, independent of the accumulated products; the two
    /// products go through the lazy 128-bit accumulator, so this costs four NTTs and two samplings, about a fifth
    /// of a public-key encryption at the key level. The accumulator keeps the re-randomised sum.
    /// </summary>
    public Ciphertext ToRerandomizedCiphertext(Encryptor encryptor) => ToRerandomizedCiphertext(encryptor, NttVector.Best);

    internal Ciphertext ToRerandomizedCiphertext(Encryptor encryptor, NttPath path)
    {
        ArgumentNullException.ThrowIfNull(encryptor);
        if (Count == 0) throw new InvalidOperationException("Nothing has been accumulated.");
        if (_sinceFold == ProductsBeforeFold) Fold();
        var n = _context.N;
        var (u, e1) = encryptor.SampleZeroParts(_count);
        for (var k = 0; k < Ciphertext.Size; k++)
        for (var i = 0; i < _count; i++)
        {
            var offset = (k * _count + i) * n;
            Accumulate(u.AsSpan(i * n, n), encryptor.PublicKeyResidues(k, i), _low.AsSpan(offset, n), _high.AsSpan(offset, n), path);
        }
        _sinceFold++;
        var result = ToCiphertext();
        for (var i = 0; i < _count; i++)
        {
            var c1 = result.Residues(1, i);
            RnsPoly.Add(c1, e1.AsSpan(i * n, n), c1, _context.Moduli[i].Modulus);
        }
        Array.Clear(u);
        Array.Clear(e1);
        return result;
    }

    /// <summary>Reduces every sum to its residue so that 255 more products fit.</summary>
    private void Fold()
    {
        var n = _context.N;
        for (var k = 0; k < Ciphertext.Size; k++)
        for (var i = 0; i < _count; i++)
        {
            var offset = (k * _count + i) * n;
            var modulus = _context.Moduli[i];
            for (var j = offset; j < offset + n; j++)
            {
                _low[j] = modulus.Reduce(_high[j], _low[j]);
                _high[j] = 0;
            }
        }
        _sinceFold = 1;
    }

    /// <summary>(high:low) += a·b per coefficient.</summary>
    internal static void Accumulate(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> low, Span<ulong> high, NttPath path)
    {
        var done = 0;
        if (path == NttPath.Vector512 && NttVector.IsSupported(path))
        {
            var va = MemoryMarshal.Cast<ulong, Vector512<ulong>>(a);
            var vb = MemoryMarshal.Cast<ulong, Vector512<ulong>>(b);
            var vl = MemoryMarshal.Cast<ulong, Vector512<ulong>>(low);
            var vh = MemoryMarshal.Cast<ulong, Vector512<ulong>>(high);
            for (var j = 0; j < va.Length; j++)
            {
                NttVector.WideMultiply(va[j], vb[j], out var productHigh, out var productLow);
                var sum = vl[j] + productLow;
                // A lane whose sum wrapped is all ones in the mask: subtracting it adds the carry.
                vh[j] = vh[j] + productHigh - Vector512.LessThan(sum, productLow);
                vl[j] = sum;
            }
            done = va.Length * Vector512<ulong>.Count;
        }
        else if (path == NttPath.Vector256 && NttVector.IsSupported(path))
        {
            var va = MemoryMarshal.Cast<ulong, Vector256<ulong>>(a);
            var vb = MemoryMarshal.Cast<ulong, Vector256<ulong>>(b);
            var vl = MemoryMarshal.Cast<ulong, Vector256<ulong>>(low);
            var vh = MemoryMarshal.Cast<ulong, Vector256<ulong>>(high);
            for (var j = 0; j < va.Length; j++)
            {
                NttVector.WideMultiply(va[j], vb[j], out var productHigh, out var productLow);
                var sum = vl[j] + productLow;
                vh[j] = vh[j] + productHigh - Vector256.LessThan(sum, productLow);
                vl[j] = sum;
            }
            done = va.Length * Vector256<ulong>.Count;
        }
        for (var j = done; j < a.Length; j++)
        {
            var productHigh = Math.BigMul(a[j], b[j], out var productLow);
            var sum = low[j] + productLow;
            high[j] += productHigh + (sum < productLow ? 1UL : 0UL);
            low[j] = sum;
        }
    }
}
