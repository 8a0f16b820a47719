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
/// The window width is chosen per call from the data (<see cref="ChooseWindowBits"/>): small weights get one
/// cheap window, wide ones several. One instance is the scratch space of one thread, sized for a maximum width.
/// </summary>
internal sealed unsafe class MultiExponentiation : IDisposable
{
    /// <summary>Widest window considered: beyond it the 2^c buckets cost more to fold than any batch saves.</summary>
    public const int MaxWindowBits = 14;

    /// <summary>Cap on the bucket memory of all engines that run at once (2^(c+1) buckets of n² each).</summary>
    private const long BucketMemoryBudget = 64L << 20;

    private readonly ResidueArithmetic arithmetic;
    private readonly int capacityBits;
    private readonly int limbs;
    private readonly ulong* memory;
    private readonly ulong* running;
    private readonly ulong* total;
    private readonly ulong* pad;
    private readonly ulong* scratch;
    private readonly bool[] filled;
    private readonly long[] powers;
    private readonly GmpIntegerArray conversion;

    /// <param name="capacityBits">The widest window <see cref="Accumulate"/> will be asked for.</param>
    public MultiExponentiation(ResidueArithmetic arithmetic, int capacityBits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityBits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacityBits, MaxWindowBits);
        this.arithmetic = arithmetic;
        this.capacityBits = capacityBits;
        limbs = arithmetic.Limbs;
        var buckets = 2 << capacityBits;
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
    /// The widest window whose buckets for <paramref name="engines"/> concurrent engines fit the memory budget
    /// (at 2048-bit keys, 512 bytes per bucket: the full 14 bits for up to two engines, 13 for eight).
    /// </summary>
    public static int CapacityFor(int limbs, int engines)
    {
        var c = MaxWindowBits;
        while (c > 1 && (long)Math.Max(engines, 1) * (2L << c) * limbs * sizeof(ulong) > BucketMemoryBudget)
        {
            c--;
        }

        return c;
    }

    /// <summary>Length of a magnitude histogram: index L counts the weights with |w| of bit length L (0..16).</summary>
    public const int HistogramLength = 17;

    /// <summary>
    /// The window width c (1..<paramref name="maxWindowBits"/>) with the fewest modular products, estimated from
    /// <paramref name="histogram"/> (see <see cref="HistogramLength"/>) and the largest weight of each sign:
    /// window k costs one insert per weight with |w| ≥ 2^(k·c) (so rare large values do not make every term pay for
    /// a second window), 2 products per bucket of each sign in the fold (only up to the largest digit the window can
    /// hold), and c squarings per extra window. The weights are split into <paramref name="parts"/> equal blocks
    /// that each fold their own buckets. 0 when every weight is zero.
    /// </summary>
    public static int ChooseWindowBits(ReadOnlySpan<int> histogram, int maxPositive, int maxNegative, int maxWindowBits, int parts = 1)
    {
        var bits = Bits(Math.Max(maxPositive, maxNegative));
        var atLeast = new long[HistogramLength + 1]; // atLeast[L] = weights of bit length ≥ L
        for (var length = HistogramLength - 1; length >= 0; length--)
        {
            atLeast[length] = atLeast[length + 1] + histogram[length];
        }

        var signs = (maxPositive > 0 ? 1 : 0) + (maxNegative > 0 ? 1 : 0);
        var best = 0;
        var bestCost = long.MaxValue;
        for (var c = 1; c <= Math.Min(bits, maxWindowBits); c++)
        {
            var windows = (bits + c - 1) / c;
            var cost = (long)(windows - 1) * c * signs * parts;
            for (var window = 0; window < windows; window++)
            {
                var shift = window * c;
                cost += atLeast[Math.Min(shift + 1, HistogramLength)];
                cost += parts * (2L * Math.Min((1 << c) - 1, maxPositive >> shift) + 2L * Math.Min((1 << c) - 1, maxNegative >> shift));
            }

            if (cost < bestCost)
            {
                best = c;
                bestCost = cost;
            }
        }

        return best;
    }

    /// <summary>
    /// Adds the bit length of every |weights[i·stride]| to <paramref name="histogram"/> and returns the largest positive
    /// weight and the largest |negative weight| (0 when there is none).
    /// </summary>
    public static (int MaxPositive, int MaxNegative) Magnitudes(short* weights, int stride, int count, Span<int> histogram)
    {
        var maxPositive = 0;
        var minimum = 0;
        for (var i = 0; i < count; i++)
        {
            int weight = weights[(long)i * stride];
            maxPositive = Math.Max(maxPositive, weight);
            minimum = Math.Min(minimum, weight);
            histogram[Bits(Math.Abs(weight))]++;
        }

        return (maxPositive, -minimum);
    }

    /// <summary>Bits needed for a non-negative value (0 for 0).</summary>
    public static int Bits(int value) => 32 - int.LeadingZeroCount(value);

    /// <summary>
    /// positive = ∏_{wᵢ&gt;0} cᵢ^wᵢ and negative = ∏_{wᵢ&lt;0} cᵢ^|wᵢ| (mod n², fully reduced) over weights[i·stride];
    /// the flags say whether each product has any factor (an empty product is 1 and is not written).
    /// <paramref name="magnitudeBits"/> bounds every |wᵢ|; windows of <paramref name="windowBits"/> (≤ the capacity).
    /// With <paramref name="inverses"/> (inverses[i] = cᵢ⁻¹, laid end to end) a negative weight puts cᵢ⁻¹ into the same
    /// buckets as the positive ones, so one fold serves both signs and negative stays empty.
    /// </summary>
    public (bool Positive, bool Negative) Accumulate(
        Mpz** bases, Mpz* inverses, short* weights, int stride, int count, int magnitudeBits, int windowBits, Mpz* positive, Mpz* negative)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowBits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(windowBits, capacityBits);
        var accumulators = new[] { new Value(Bucket(filled.Length + 2)), new Value(Bucket(filled.Length + 3)) };
        var windows = (magnitudeBits + windowBits - 1) / windowBits;
        for (var window = windows - 1; window >= 0; window--)
        {
            foreach (ref var accumulator in accumulators.AsSpan())
            {
                SquareRepeatedly(ref accumulator, windowBits);
            }

            var (maxPositive, maxNegative) = FillBuckets(bases, inverses, weights, stride, count, window * windowBits, windowBits);
            Fold(0, maxPositive, ref accumulators[0]);
            Fold(1 << capacityBits, maxNegative, ref accumulators[1]);
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
    private (int Positive, int Negative) FillBuckets(Mpz** bases, Mpz* inverses, short* weights, int stride, int count, int shift, int windowBits)
    {
        // Negative digits live in the upper half (from 2^capacity); only the slots this width can reach need clearing.
        Array.Clear(filled, 0, 1 << windowBits);
        Array.Clear(filled, 1 << capacityBits, 1 << windowBits);
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
            var factor = bases[i];
            if (weight > 0 || inverses is not null)
            {
                index = digit;
                maxPositive = Math.Max(maxPositive, digit);
                factor = weight > 0 ? factor : inverses + i;
            }
            else
            {
                index = (1 << capacityBits) + digit;
                maxNegative = Math.Max(maxNegative, digit);
            }

            var bucket = new Value(Bucket(index), filled[index], powers[index]);
            Combine(ref bucket, arithmetic.Operand(factor, pad), 0);
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
    private void SquareRepeatedly(ref Value value, int windowBits)
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
