using System.Numerics;
using VerticalFL.Crypto.Encoding;
using VerticalFL.Crypto.Native;

namespace VerticalFL.Crypto.Paillier;

/// <summary>Homomorphic operations on ciphertexts of one public key. Thread-safe; never needs the private key.</summary>
public sealed unsafe class PaillierEvaluator
{
    private const int MinRowsPerChunk = 2048;
    private readonly ResidueArithmetic arithmetic;

    public PaillierEvaluator(PaillierPublicKey key)
        : this(key, allowMontgomery: true)
    {
    }

    /// <summary>Tests use <paramref name="allowMontgomery"/> = false to check the division fallback.</summary>
    internal PaillierEvaluator(PaillierPublicKey key, bool allowMontgomery)
    {
        ArgumentNullException.ThrowIfNull(key);
        Key = key;
        arithmetic = new ResidueArithmetic(key, allowMontgomery);
    }

    public PaillierPublicKey Key { get; }

    /// <summary>[[a + b]] = [[a]]·[[b]] mod n².</summary>
    public Ciphertext Add(Ciphertext a, Ciphertext b)
    {
        Check(a, nameof(a));
        Check(b, nameof(b));
        var result = Ciphertext.Allocate(Key);
        using var pa = a.Value.Pin();
        using var pb = b.Value.Pin();
        ModMath.Multiply(result.Value.Pointer, pa.Pointer, pb.Pointer, Key.NSquared.Pointer, ThreadScratch.Product.Pointer);
        GC.KeepAlive(Key);
        return result;
    }

    /// <summary>[[c + m]] = [[c]]·(1+mn) mod n², for signed |m| ≤ MaxSafePlaintext. Not re-randomised.</summary>
    public Ciphertext AddPlain(Ciphertext ciphertext, BigInteger plaintext)
    {
        Check(ciphertext, nameof(ciphertext));
        if (BigInteger.Abs(plaintext) > Key.MaxSafePlaintext)
        {
            throw new ArgumentOutOfRangeException(nameof(plaintext), "|plaintext| exceeds the key's MaxSafePlaintext (about n/3).");
        }

        var result = Ciphertext.Allocate(Key);
        using var m = GmpInteger.FromBigInteger(plaintext, secret: true);
        using var gm = GmpInteger.Create(Key.ResidueBits, secret: true);
        using var c = ciphertext.Value.Pin();
        ModMath.GeneratorPower(gm.Pointer, m.Pointer, Key.N.Pointer);
        ModMath.Multiply(result.Value.Pointer, c.Pointer, gm.Pointer, Key.NSquared.Pointer, ThreadScratch.Product.Pointer);
        GC.KeepAlive(Key);
        return result;
    }

    /// <summary>[[k·m]] = [[m]]^|k|, inverted when k &lt; 0 (never n−|k|, which costs a full-size exponent); |k| &lt; n.</summary>
    public Ciphertext MultiplyPlain(Ciphertext ciphertext, BigInteger k)
    {
        Check(ciphertext, nameof(ciphertext));
        if (BigInteger.Abs(k) >= Key.Modulus)
        {
            throw new ArgumentOutOfRangeException(nameof(k), "|k| must be smaller than the modulus n.");
        }

        var result = Ciphertext.Allocate(Key);
        using var exponent = GmpInteger.FromBigInteger(BigInteger.Abs(k));
        using var c = ciphertext.Value.Pin();
        GmpNative.PowMod(result.Value.Pointer, c.Pointer, exponent.Pointer, Key.NSquared.Pointer);
        if (k.Sign < 0)
        {
            InvertOrThrow(result.Value.Pointer, result.Value.Pointer, nameof(ciphertext));
        }

        GC.KeepAlive(Key);
        return result;
    }

    /// <summary>[[−m]] = [[m]]⁻¹ mod n².</summary>
    public Ciphertext Negate(Ciphertext ciphertext)
    {
        Check(ciphertext, nameof(ciphertext));
        var result = Ciphertext.Allocate(Key);
        using var c = ciphertext.Value.Pin();
        InvertOrThrow(result.Value.Pointer, c.Pointer, nameof(ciphertext));
        return result;
    }

    /// <summary>[[Σ mᵢ]]; the sum of an empty list is the (deterministic) encryption of 0, namely 1.</summary>
    public Ciphertext Sum(IReadOnlyList<Ciphertext> ciphertexts)
    {
        using var pinned = new PinnedCiphertexts(Key, ciphertexts, nameof(ciphertexts));
        var result = Ciphertext.Allocate(Key);
        var target = result.Value.Pointer;
        GmpNative.SetUnsigned(target, 1);
        for (var i = 0; i < pinned.Count; i++)
        {
            ModMath.Multiply(target, target, pinned.Pointers[i], Key.NSquared.Pointer, ThreadScratch.Product.Pointer);
        }

        GC.KeepAlive(Key);
        return result;
    }

    /// <summary>[[Σ wᵢ·mᵢ]] by a bucket multi-exponentiation on the calling thread.</summary>
    public Ciphertext InnerProduct(IReadOnlyList<Ciphertext> ciphertexts, ReadOnlySpan<short> weights)
    {
        ArgumentNullException.ThrowIfNull(ciphertexts);
        if (weights.Length != ciphertexts.Count)
        {
            throw new ArgumentException($"{weights.Length} weights for {ciphertexts.Count} ciphertexts; the counts must match.", nameof(weights));
        }

        using var pinned = new PinnedCiphertexts(Key, ciphertexts, nameof(ciphertexts));
        using var partial = GmpIntegerArray.Create(2, Key.ResidueBits);
        using var p = partial.Pin();
        var result = Ciphertext.Allocate(Key);
        fixed (short* w = weights)
        {
            Span<int> histogram = stackalloc int[MultiExponentiation.HistogramLength];
            histogram.Clear();
            var (maxPositive, maxNegative) = MultiExponentiation.Magnitudes(w, 1, weights.Length, histogram);
            var windowBits = MultiExponentiation.ChooseWindowBits(
                histogram, maxPositive, maxNegative, MultiExponentiation.CapacityFor(arithmetic.Limbs, 1));
            var (positive, negative) = (false, false);
            if (windowBits > 0)
            {
                using var engine = new MultiExponentiation(arithmetic, windowBits);
                var bits = MultiExponentiation.Bits(Math.Max(maxPositive, maxNegative));
                (positive, negative) = engine.Accumulate(pinned.Pointers, null, w, 1, weights.Length, bits, windowBits, p[0], p[1]);
            }

            Finish(result.Value.Pointer, p[0], positive, p[1], negative, nameof(ciphertexts));
        }

        GC.KeepAlive(Key);
        return result;
    }

    /// <summary>
    /// For every column j of <paramref name="x"/>: [[Σᵢ x[i,j]·mᵢ]] (the encrypted gradient Xᵀ[[d]]), on all cores.
    /// Work items are (column, block of rows) pairs, so a few wide columns still keep every core busy.
    /// </summary>
    public Ciphertext[] TransposeProduct(IReadOnlyList<Ciphertext> ciphertexts, QuantizedMatrix x)
    {
        ArgumentNullException.ThrowIfNull(ciphertexts);
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rows != ciphertexts.Count)
        {
            throw new ArgumentException($"The matrix has {x.Rows} rows but there are {ciphertexts.Count} ciphertexts; they must match.", nameof(x));
        }

        using var pinned = new PinnedCiphertexts(Key, ciphertexts, nameof(ciphertexts));
        var columns = x.Columns;
        var rows = x.Rows;
        var (maxPositive, maxNegative, histograms) = ColumnMagnitudes(x);
        var nonZero = maxPositive.Any(m => m > 0) || maxNegative.Any(m => m > 0);
        var chunks = nonZero ? RowChunks(rows, columns) : 0;
        var items = columns * chunks;
        using var partials = GmpIntegerArray.Create(2 * items, Key.ResidueBits);
        var present = new bool[2 * items];
        if (items > 0)
        {
            // Each column gets the window width that suits its own values (standardised features differ a lot in
            // spread); the engines (one per running work item, so at most one per core) are sized for the widest,
            // within the memory budget.
            var workers = Math.Min(Environment.ProcessorCount, items);
            var capacity = MultiExponentiation.CapacityFor(arithmetic.Limbs, workers);
            using var inverses = FoldingSignsPays(maxPositive, maxNegative, rows, chunks) ? InvertAll(pinned.Pointers, rows) : null;
            var inverseBase = inverses is null ? 0 : (nint)inverses[0];
            var windowBits = new int[columns];
            for (var column = 0; column < columns; column++)
            {
                // With inverses both signs share one set of buckets, so the window is chosen as for one sign.
                var (positive, negative) = inverses is null
                    ? (maxPositive[column], maxNegative[column])
                    : (Math.Max(maxPositive[column], maxNegative[column]), 0);
                windowBits[column] = MultiExponentiation.ChooseWindowBits(
                    histograms.AsSpan(column * MultiExponentiation.HistogramLength, MultiExponentiation.HistogramLength),
                    positive, negative, capacity, chunks);
            }

            var engineBits = windowBits.Max();
            Parallel.For(
                0,
                items,
                new ParallelOptions { MaxDegreeOfParallelism = workers },
                () => new MultiExponentiation(arithmetic, engineBits),
                (item, _, engine) =>
                {
                    var (column, chunk) = (item % columns, item / columns);
                    if (windowBits[column] == 0)
                    {
                        return engine; // all-zero column: both parts stay the empty product
                    }

                    var (start, end) = ((int)((long)chunk * rows / chunks), (int)((long)(chunk + 1) * rows / chunks));
                    var bits = MultiExponentiation.Bits(Math.Max(maxPositive[column], maxNegative[column]));
                    using var p = partials.Pin();
                    fixed (short* data = x.Data)
                    {
                        (present[2 * item], present[2 * item + 1]) = engine.Accumulate(
                            pinned.Pointers + start, inverseBase == 0 ? null : (Mpz*)inverseBase + start,
                            data + (long)start * columns + column, columns, end - start, bits,
                            windowBits[column], p[2 * item], p[2 * item + 1]);
                    }

                    return engine;
                },
                engine => engine.Dispose());
        }

        var result = Ciphertext.AllocateMany(Key, columns);
        using (var p = partials.Pin())
        {
            for (var column = 0; column < columns; column++)
            {
                var (positive, negative) = GatherColumn(p, present, column, columns, chunks);
                Finish(result[column].Value.Pointer, p[2 * column], positive, p[2 * column + 1], negative, nameof(ciphertexts));
            }
        }

        GC.KeepAlive(Key);
        return result;
    }

    /// <summary>
    /// Whether inverting every ciphertext (about 3 products a row, by Montgomery's trick) costs less than what sharing
    /// one set of buckets between the signs saves: per column and row block, the fold of the smaller sign's buckets
    /// (2 products per digit value). On 10,000 rows × 60 columns of uniform ±1800 (standardised features at 10 bits)
    /// that is 13% fewer products, inversion included.
    /// </summary>
    private static bool FoldingSignsPays(int[] maxPositive, int[] maxNegative, int rows, int chunks)
    {
        var widest = (1 << MultiExponentiation.MaxWindowBits) - 1;
        long saved = 0;
        for (var column = 0; column < maxPositive.Length; column++)
        {
            saved += 2L * Math.Min(widest, Math.Min(maxPositive[column], maxNegative[column]));
        }

        return saved * chunks > 3L * rows;
    }

    /// <summary>
    /// cᵢ⁻¹ mod n² for every ciphertext with a single inversion (Montgomery's trick: prefix products, invert the last,
    /// walk back). Null when some ciphertext has no inverse; the caller then keeps the signs apart, and
    /// <see cref="Finish"/> reports the bad ciphertext as before.
    /// </summary>
    private GmpIntegerArray? InvertAll(Mpz** ciphertexts, int count)
    {
        var inverses = GmpIntegerArray.Create(count, Key.ResidueBits);
        if (InvertAllInto(inverses, ciphertexts, count))
        {
            return inverses;
        }

        inverses.Dispose();
        return null;
    }

    private bool InvertAllInto(GmpIntegerArray inverses, Mpz** ciphertexts, int count)
    {
        using var scratch = GmpIntegerArray.Create(2, 2 * Key.ResidueBits);
        using var p = inverses.Pin();
        using var s = scratch.Pin();
        var nn = Key.NSquared.Pointer;
        var running = s[0];
        var product = s[1];
        GmpNative.Set(p[0], ciphertexts[0]);
        for (var i = 1; i < count; i++)
        {
            ModMath.Multiply(p[i], p[i - 1], ciphertexts[i], nn, product);   // p[i] = c₀·…·cᵢ
        }

        if (GmpNative.Invert(running, p[count - 1], nn) == 0)
        {
            return false;
        }

        for (var i = count - 1; i > 0; i--)
        {
            ModMath.Multiply(p[i], running, p[i - 1], nn, product);           // (c₀…cᵢ)⁻¹·(c₀…cᵢ₋₁) = cᵢ⁻¹
            ModMath.Multiply(running, running, ciphertexts[i], nn, product);  // now (c₀…cᵢ₋₁)⁻¹
        }

        GmpNative.Set(p[0], running);
        GC.KeepAlive(Key);
        return true;
    }

    /// <summary>Multiplies the partial products of all row blocks of a column into the first block's slots.</summary>
    private (bool Positive, bool Negative) GatherColumn(GmpPin p, bool[] present, int column, int columns, int chunks)
    {
        var positive = false;
        var negative = false;
        for (var chunk = 0; chunk < chunks; chunk++)
        {
            var item = chunk * columns + column;
            Gather(p[2 * column], ref positive, p[2 * item], present[2 * item]);
            Gather(p[2 * column + 1], ref negative, p[2 * item + 1], present[2 * item + 1]);
        }

        return (positive, negative);
    }

    private void Gather(Mpz* target, ref bool targetPresent, Mpz* source, bool sourcePresent)
    {
        if (!sourcePresent || source == target)
        {
            targetPresent |= sourcePresent;
            return;
        }

        if (targetPresent)
        {
            ModMath.Multiply(target, target, source, Key.NSquared.Pointer, ThreadScratch.Product.Pointer);
        }
        else
        {
            GmpNative.Set(target, source);
            targetPresent = true;
        }
    }

    /// <summary>result = positive · negative⁻¹ mod n², treating absent parts as 1: the one inverse per result.</summary>
    private void Finish(Mpz* result, Mpz* positive, bool hasPositive, Mpz* negative, bool hasNegative, string parameterName)
    {
        if (hasNegative)
        {
            InvertOrThrow(negative, negative, parameterName);
            if (hasPositive)
            {
                ModMath.Multiply(result, positive, negative, Key.NSquared.Pointer, ThreadScratch.Product.Pointer);
            }
            else
            {
                GmpNative.Set(result, negative);
            }
        }
        else if (hasPositive)
        {
            GmpNative.Set(result, positive);
        }
        else
        {
            GmpNative.SetUnsigned(result, 1);
        }
    }

    private void InvertOrThrow(Mpz* result, Mpz* value, string parameterName)
    {
        if (GmpNative.Invert(result, value, Key.NSquared.Pointer) == 0)
        {
            throw new ArgumentException("A ciphertext shares a factor with n, so it is not a valid ciphertext.", parameterName);
        }

        GC.KeepAlive(Key);
    }

    /// <summary>
    /// Per column, the largest positive value, the largest |negative value| and the histogram of bit lengths of |x|
    /// (<see cref="MultiExponentiation.HistogramLength"/> entries per column): a scan that costs far less than one product per column.
    /// </summary>
    private static (int[] MaxPositive, int[] MaxNegative, int[] Histograms) ColumnMagnitudes(QuantizedMatrix x)
    {
        var (columns, length) = (x.Columns, MultiExponentiation.HistogramLength);
        var maxPositive = new int[columns];
        var maxNegative = new int[columns];
        var histograms = new int[columns * length];
        fixed (short* data = x.Data)
        {
            for (var column = 0; column < columns; column++)
            {
                (maxPositive[column], maxNegative[column]) = MultiExponentiation.Magnitudes(
                    data + column, columns, x.Rows, histograms.AsSpan(column * length, length));
            }
        }

        return (maxPositive, maxNegative, histograms);
    }

    /// <summary>Row blocks per column: enough work items for every core when there are few columns.</summary>
    private static int RowChunks(int rows, int columns)
    {
        var wanted = (2 * Environment.ProcessorCount + columns - 1) / columns;
        return Math.Clamp(Math.Min(wanted, rows / MinRowsPerChunk), 1, Math.Max(rows, 1));
    }

    private void Check(Ciphertext ciphertext, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(ciphertext, parameterName);
        Key.EnsureMatches(ciphertext.Key, parameterName);
    }
}
