using System.Runtime.InteropServices;
using VerticalFL.Crypto.Native;

namespace VerticalFL.Crypto.Paillier;

/// <summary>
/// Pippenger's bucket method for ∏ cᵢ^wᵢ mod n² with small signed integer weights. The magnitudes are cut
/// into windows of c bits; per window every term costs one modular multiplication into the bucket of its digit
/// (positive and negative weights in separate buckets), and the buckets are folded with running products
/// (∏_d B_d^d with 2 multiplications per digit value). Positive and negative parts stay separate so the caller
/// needs one modular inverse per result, never a negative exponent encoded as n−|w|.
/// Works on fixed-width limbs (<see cref="ResidueArithmetic"/>), tracking the power of R in every value.
/// One instance is the scratch space of one thread.
/// </summary>
internal sealed unsafe class MultiExponentiation : IDisposable
{
    private const int MaxWindowBits = 12;
    private readonly ResidueArithmetic arithmetic;
    private readonly int windowBits;
    private readonly int limbs;
    private readonly ulong* memory;
    private readonly ulong* running;
    private readonly ulong* total;
    private readonly ulong* pad;
    private readonly ulong* scratch;
    private readonly bool[] filled;
    private readonly long[] powers;
    private readonly GmpIntegerArray conversion;

    public MultiExponentiation(ResidueArithmetic arithmetic, int windowBits)
    {
        this.arithmetic = arithmetic;
        this.windowBits = windowBits;
        limbs = arithmetic.Limbs;
        var buckets = 2 << windowBits;
        var size = (long)(buckets + 5) * limbs + arithmetic.ScratchLimbs;
        memory = (ulong*)NativeMemory.Alloc((nuint)size, sizeof(ulong));
        running = Bucket(buckets);
        total = Bucket(buckets + 1);
        pad = Bucket(buckets + 4);
        scratch = Bucket(buckets + 5);
        filled = new bool[buckets];
        powers = new long[buckets];
        conversion = GmpIntegerArray.Create(2, 2 * 64 * limbs + 64);
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
    /// positive = ∏_{wᵢ&gt;0} cᵢ^wᵢ and negative = ∏_{wᵢ&lt;0} cᵢ^|wᵢ| (mod n², fully reduced) over weights[i·stride];
    /// the flags say whether each product has any factor (an empty product is 1 and is not written).
    /// </summary>
    public (bool Positive, bool Negative) Accumulate(
        Mpz** bases, short* weights, int stride, int count, int magnitudeBits, Mpz* positive, Mpz* negative)
    {
        var accumulators = new[] { new Value(Bucket(filled.Length + 2)), new Value(Bucket(filled.Length + 3)) };
        var windows = (magnitudeBits + windowBits - 1) / windowBits;
        for (var window = windows - 1; window >= 0; window--)
        {
            foreach (ref var accumulator in accumulators.AsSpan())
            {
                SquareRepeatedly(ref accumulator);
            }

            var (maxPositive, maxNegative) = FillBuckets(bases, weights, stride, count, window * windowBits);
            Fold(0, maxPositive, ref accumulators[0]);
            Fold(1 << windowBits, maxNegative, ref accumulators[1]);
        }

        using var c = conversion.Pin();
        if (accumulators[0].Present)
        {
            arithmetic.ToResidue(positive, accumulators[0].Limbs, accumulators[0].Power, c[0], c[1]);
        }

        if (accumulators[1].Present)
        {
            arithmetic.ToResidue(negative, accumulators[1].Limbs, accumulators[1].Power, c[0], c[1]);
        }

        return (accumulators[0].Present, accumulators[1].Present);
    }

    public void Dispose()
    {
        NativeMemory.Free(memory);
        conversion.Dispose();
    }

    private ulong* Bucket(int index) => memory + (long)index * limbs;

    /// <summary>Drops every base into the bucket of its digit at <paramref name="shift"/>; returns the largest digit per sign.</summary>
    private (int Positive, int Negative) FillBuckets(Mpz** bases, short* weights, int stride, int count, int shift)
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

            var bucket = new Value(Bucket(index), filled[index], powers[index]);
            Combine(ref bucket, arithmetic.Operand(bases[i], pad), 0);
            (filled[index], powers[index]) = (true, bucket.Power);
        }

        return (maxPositive, maxNegative);
    }

    /// <summary>
    /// accumulator ·= ∏_d B_d^d over buckets [offset+1, offset+maxDigit], as ∏_d (∏_{e≥d} B_e): a running product
    /// from the top digit down, multiplied into a total at every step.
    /// </summary>
    private void Fold(int offset, int maxDigit, ref Value accumulator)
    {
        var run = new Value(running);
        var sum = new Value(total);
        for (var digit = maxDigit; digit >= 1; digit--)
        {
            if (filled[offset + digit])
            {
                Combine(ref run, Bucket(offset + digit), powers[offset + digit]);
            }

            if (run.Present)
            {
                Combine(ref sum, run.Limbs, run.Power);
            }
        }

        if (sum.Present)
        {
            Combine(ref accumulator, sum.Limbs, sum.Power);
        }
    }

    /// <summary>target ·= factor, or target = factor when target is still the empty product.</summary>
    private void Combine(ref Value target, ulong* factor, long factorPower)
    {
        if (target.Present)
        {
            arithmetic.Multiply(target.Limbs, target.Limbs, factor, scratch);
            target.Power += factorPower + arithmetic.ProductShift;
        }
        else
        {
            Buffer.MemoryCopy(factor, target.Limbs, limbs * sizeof(ulong), limbs * sizeof(ulong));
            target.Power = factorPower;
            target.Present = true;
        }
    }

    /// <summary>value = value^(2^c) for the window size c (nothing to do for the empty product).</summary>
    private void SquareRepeatedly(ref Value value)
    {
        if (!value.Present)
        {
            return;
        }

        for (var i = 0; i < windowBits; i++)
        {
            arithmetic.Square(value.Limbs, value.Limbs, scratch);
            value.Power = 2 * value.Power + arithmetic.ProductShift;
        }
    }

    /// <summary>A k-limb number that stands for (true value)·R^Power, or the empty product when not Present.</summary>
    private struct Value(ulong* limbs, bool present = false, long power = 0)
    {
        public readonly ulong* Limbs = limbs;
        public bool Present = present;
        public long Power = power;
    }
}
