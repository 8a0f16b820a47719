using VerticalFL.Crypto.Native;

namespace VerticalFL.Crypto.Paillier;

/// <summary>
/// Pippenger's bucket method for ∏ cᵢ^wᵢ mod n² with small signed integer weights. The magnitudes are cut
/// into windows of c bits; per window every term costs one modular multiplication into the bucket of its digit
/// (positive and negative weights in separate buckets), and the buckets are folded with running products
/// (Σ d·B_d with 2 multiplications per digit value). Positive and negative parts stay separate so the caller
/// needs one modular inverse per result, never a negative exponent encoded as n−|w|.
/// One instance is the scratch space of one thread.
/// </summary>
internal sealed unsafe class MultiExponentiation : IDisposable
{
    private const int Running = 0, Total = 1, Product = 2, RegisterCount = 3;
    private const int MaxWindowBits = 12;
    private readonly GmpIntegerArray buckets;
    private readonly GmpIntegerArray registers;
    private readonly bool[] filled;
    private readonly int windowBits;

    public MultiExponentiation(PaillierPublicKey key, int windowBits)
    {
        this.windowBits = windowBits;
        buckets = GmpIntegerArray.Create(2 << windowBits, key.ResidueBits);
        registers = GmpIntegerArray.Create(RegisterCount, key.ProductBits);
        filled = new bool[2 << windowBits];
    }

    /// <summary>
    /// The window size with the fewest multiplications for <paramref name="terms"/> weights of at most
    /// <paramref name="magnitudeBits"/> bits: windows·(terms + 4·2^c) (inserts plus folding both signs).
    /// </summary>
    public static int ChooseWindowBits(int terms, int magnitudeBits)
    {
        var best = 1;
        var bestCost = long.MaxValue;
        for (var c = 1; c <= Math.Min(Math.Max(magnitudeBits, 1), MaxWindowBits); c++)
        {
            var windows = (magnitudeBits + c - 1) / c;
            var cost = (long)windows * (terms + (4L << c));
            if (cost < bestCost)
            {
                best = c;
                bestCost = cost;
            }
        }

        return best;
    }

    /// <summary>Bits needed for the largest |w| (0 when all weights are zero).</summary>
    public static int MagnitudeBits(short* weights, int stride, int count)
    {
        var max = 0;
        for (var i = 0; i < count; i++)
        {
            max = Math.Max(max, Math.Abs((int)weights[(long)i * stride]));
        }

        return max == 0 ? 0 : 32 - int.LeadingZeroCount(max);
    }

    /// <summary>
    /// positive = ∏_{wᵢ&gt;0} cᵢ^wᵢ and negative = ∏_{wᵢ&lt;0} cᵢ^|wᵢ| (mod n²) over weights[i·stride];
    /// the flags say whether each product has any factor (an empty product is 1 and is not written).
    /// </summary>
    public (bool Positive, bool Negative) Accumulate(
        Mpz** bases, short* weights, int stride, int count, int magnitudeBits, Mpz* nn, Mpz* positive, Mpz* negative)
    {
        using var b = buckets.Pin();
        using var r = registers.Pin();
        var hasPositive = false;
        var hasNegative = false;
        var windows = (magnitudeBits + windowBits - 1) / windowBits;
        for (var window = windows - 1; window >= 0; window--)
        {
            if (hasPositive)
            {
                ModMath.SquareRepeatedly(positive, windowBits, nn, r[Product]);
            }

            if (hasNegative)
            {
                ModMath.SquareRepeatedly(negative, windowBits, nn, r[Product]);
            }

            var (maxPositive, maxNegative) = FillBuckets(b, r[Product], bases, weights, stride, count, window * windowBits, nn);
            hasPositive |= Fold(b, 0, maxPositive, r, nn, positive, hasPositive);
            hasNegative |= Fold(b, 1 << windowBits, maxNegative, r, nn, negative, hasNegative);
        }

        return (hasPositive, hasNegative);
    }

    /// <summary>Drops every base into the bucket of its digit at <paramref name="shift"/>; returns the largest digit per sign.</summary>
    private (int Positive, int Negative) FillBuckets(GmpPin b, Mpz* product, Mpz** bases, short* weights, int stride, int count, int shift, Mpz* nn)
    {
        Array.Clear(filled);
        var mask = (1 << windowBits) - 1;
        var maxPositive = 0;
        var maxNegative = 0;
        for (var i = 0; i < count; i++)
        {
            int weight = weights[(long)i * stride];
            var digit = (Math.Abs(weight) >> shift) & mask;
            if (digit == 0)
            {
                continue;
            }

            int index;
            if (weight > 0)
            {
                index = digit;
                maxPositive = Math.Max(maxPositive, digit);
            }
            else
            {
                index = (1 << windowBits) + digit;
                maxNegative = Math.Max(maxNegative, digit);
            }

            if (filled[index])
            {
                ModMath.Multiply(b[index], b[index], bases[i], nn, product);
            }
            else
            {
                GmpNative.Set(b[index], bases[i]);
                filled[index] = true;
            }
        }

        return (maxPositive, maxNegative);
    }

    /// <summary>
    /// accumulator ·= ∏_d B_d^d over buckets [offset+1, offset+maxDigit], as Σ_d (∏_{e≥d} B_e): a running product
    /// from the top digit down, multiplied into a total at every step. Returns whether anything was folded in.
    /// </summary>
    private bool Fold(GmpPin b, int offset, int maxDigit, GmpPin r, Mpz* nn, Mpz* accumulator, bool accumulatorFilled)
    {
        var running = false;
        var total = false;
        for (var digit = maxDigit; digit >= 1; digit--)
        {
            if (filled[offset + digit])
            {
                Combine(r[Running], b[offset + digit], ref running, nn, r[Product]);
            }

            if (running)
            {
                Combine(r[Total], r[Running], ref total, nn, r[Product]);
            }
        }

        if (total)
        {
            Combine(accumulator, r[Total], ref accumulatorFilled, nn, r[Product]);
        }

        return total;
    }

    /// <summary>target ·= factor, or target = factor when target is still the empty product.</summary>
    private static void Combine(Mpz* target, Mpz* factor, ref bool targetFilled, Mpz* nn, Mpz* product)
    {
        if (targetFilled)
        {
            ModMath.Multiply(target, target, factor, nn, product);
        }
        else
        {
            GmpNative.Set(target, factor);
            targetFilled = true;
        }
    }

    public void Dispose()
    {
        buckets.Dispose();
        registers.Dispose();
    }
}
