using System.Numerics;
using VerticalFL.Crypto.Encoding;
using VerticalFL.Crypto.Native;
using VerticalFL.Crypto.Paillier;

namespace VerticalFL.Crypto.Tests.Paillier;

/// <summary>
/// The per-call window width of the bucket method: the choice itself, and that every width and every shape of
/// column (narrow, wide, one-signed, all zero) gives exactly the ciphertext of one mpz_powm per term.
/// </summary>
public sealed class PaillierWindowTests
{
    private static PaillierPublicKey PublicKey => TestKeys.Primary.PublicKey;

    [Theory]
    [InlineData("uniform11", 11)] // standardised uniform feature at 10 fractional bits: one 11-bit window
    [InlineData("uniform16", 8)] // full 16-bit: two 8-bit windows
    [InlineData("outlier", 11)] // 11-bit values plus one 15-bit outlier: the second window only costs the outlier
    [InlineData("ones", 1)]
    [InlineData("byte", 8)]
    [InlineData("single", 1)] // one term: folding buckets would cost more than square-and-multiply
    [InlineData("zeros", 0)]
    [InlineData("empty", 0)]
    public void ChooseWindowBits_TypicalColumns_PicksTheCheapestWidth(string shape, int expected)
    {
        Assert.Equal(expected, Choose(Column(shape), MultiExponentiation.MaxWindowBits));
    }

    [Fact]
    public void ChooseWindowBits_OneSignedColumn_AffordsAWiderWindowThanTwoSigned()
    {
        // 12-bit values in 12,000 terms: folding 2 × 4,095 buckets of one sign beats a second window, of both signs it does not.
        var random = new Random(3);
        var positive = Enumerable.Range(0, 12_000).Select(_ => (short)random.Next(0, 4096)).ToArray();
        var signed = Enumerable.Range(0, 12_000).Select(_ => (short)random.Next(-4095, 4096)).ToArray();
        positive[0] = signed[0] = 4095;
        signed[1] = -4095;

        Assert.Equal(12, Choose(positive, MultiExponentiation.MaxWindowBits));
        Assert.InRange(Choose(signed, MultiExponentiation.MaxWindowBits), 5, 8);
    }

    [Fact]
    public void ChooseWindowBits_Capacity_IsNeverExceeded()
    {
        Assert.Equal(11, Choose(Column("uniform11"), 11));
        Assert.InRange(Choose(Column("uniform11"), 9), 1, 9);
        Assert.Equal(1, Choose(Column("uniform11"), 1));
    }

    [Fact]
    public void ChooseWindowBits_RowBlocksFoldSeparately_PreferNarrowerWindows()
    {
        // 10,000 11-bit terms in one block fold 4,000 buckets once; in 8 blocks of 1,250 each block folds its own.
        var histogram = Histogram(Column("uniform11"), out var maxPositive, out var maxNegative);

        Assert.Equal(11, MultiExponentiation.ChooseWindowBits(histogram, maxPositive, maxNegative, MultiExponentiation.MaxWindowBits, parts: 1));
        Assert.InRange(MultiExponentiation.ChooseWindowBits(histogram, maxPositive, maxNegative, MultiExponentiation.MaxWindowBits, parts: 8), 1, 7);
    }

    [Fact]
    public void CapacityFor_BucketMemory_StaysWithin64MegabytesOverAllEngines()
    {
        foreach (var (limbs, engines) in new[] { (64, 1), (64, 2), (64, 16), (128, 64), (32, 2) })
        {
            var c = MultiExponentiation.CapacityFor(limbs, engines);
            Assert.InRange(c, 1, MultiExponentiation.MaxWindowBits);
            Assert.True(c == 1 || (long)engines * (2L << c) * limbs * 8 <= 64L << 20, $"{limbs} limbs × {engines} engines → {c} bits");
        }

        Assert.Equal(14, MultiExponentiation.CapacityFor(64, 2));
        Assert.Equal(12, MultiExponentiation.CapacityFor(64, 16));
    }

    [Fact]
    public unsafe void Accumulate_EveryWindowWidth_GivesTheNaiveCiphertext()
    {
        var random = new Random(17);
        const int count = 150;
        var ciphertexts = new PaillierEncryptor(PublicKey).EncryptBatch(Enumerable.Range(0, count).Select(_ => (long)random.Next()).ToArray());
        var weights = Enumerable.Range(0, count).Select(_ => (short)random.Next(short.MinValue, short.MaxValue + 1)).ToArray();
        weights[3] = short.MinValue;
        weights[4] = short.MaxValue;
        using var naive = PaillierReference.NaiveInnerProduct(ciphertexts, weights);
        var expected = Value(naive);
        var arithmetic = new ResidueArithmetic(PublicKey);
        using var pinned = new PinnedCiphertexts(PublicKey, ciphertexts, "ciphertexts");
        using var engine = new MultiExponentiation(arithmetic, MultiExponentiation.MaxWindowBits);
        using var parts = GmpIntegerArray.Create(2, PublicKey.ResidueBits);
        using var p = parts.Pin();
        var nn = BigInteger.Pow(PublicKey.Modulus, 2);
        fixed (short* w = weights)
        {
            for (var c = 1; c <= MultiExponentiation.MaxWindowBits; c++)
            {
                var (hasPositive, hasNegative) = engine.Accumulate(pinned.Pointers, null, w, 1, count, 16, c, p[0], p[1]);

                Assert.True(hasPositive && hasNegative);
                var positive = GmpConvert.ToBigInteger(p[0]);
                var negative = GmpConvert.ToBigInteger(p[1]);
                Assert.True(positive < nn && negative < nn, $"width {c}: not fully reduced");
                Assert.Equal(positive, expected * negative % nn);
            }
        }
    }

    [Fact]
    public unsafe void Accumulate_WithInverses_EveryWindowWidth_GivesTheNaiveCiphertextInOnePart()
    {
        var random = new Random(18);
        const int count = 150;
        var ciphertexts = new PaillierEncryptor(PublicKey).EncryptBatch(Enumerable.Range(0, count).Select(_ => (long)random.Next()).ToArray());
        var weights = Enumerable.Range(0, count).Select(_ => (short)random.Next(short.MinValue, short.MaxValue + 1)).ToArray();
        weights[3] = short.MinValue;
        using var naive = PaillierReference.NaiveInnerProduct(ciphertexts, weights);
        var expected = Value(naive);
        var nn = BigInteger.Pow(PublicKey.Modulus, 2);
        var arithmetic = new ResidueArithmetic(PublicKey);
        using var pinned = new PinnedCiphertexts(PublicKey, ciphertexts, "ciphertexts");
        // The inverses come from BigInteger's extended Euclid, independent of the evaluator's batch inversion.
        using var inverses = GmpIntegerArray.Create(count, PublicKey.ResidueBits);
        using var inversePin = inverses.Pin();
        for (var i = 0; i < count; i++)
            GmpConvert.Set(inversePin[i], ReferencePaillier.ModInverse(Value(ciphertexts[i]), nn));
        using var engine = new MultiExponentiation(arithmetic, MultiExponentiation.MaxWindowBits);
        using var parts = GmpIntegerArray.Create(2, PublicKey.ResidueBits);
        using var p = parts.Pin();
        fixed (short* w = weights)
        {
            for (var c = 1; c <= MultiExponentiation.MaxWindowBits; c++)
            {
                var (hasPositive, hasNegative) = engine.Accumulate(pinned.Pointers, inversePin[0], w, 1, count, 16, c, p[0], p[1]);

                Assert.True(hasPositive, $"width {c}");
                Assert.False(hasNegative, $"width {c}: negative weights must go to the shared buckets");
                Assert.Equal(expected, GmpConvert.ToBigInteger(p[0]));
            }
        }
    }
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(37)]
    [InlineData(700)]
    [InlineData(3000)]
    public void TransposeProduct_ColumnsOfDifferentWidths_EachEqualsNaiveCiphertext(int rows)
    {
        var random = new Random(rows);
        // 1-bit, 8-bit, 11-bit, full 16-bit, all zero, only negative, only positive, and constant (like an intercept).
        Func<short>[] columns =
        [
            () => (short)random.Next(-1, 2),
            () => (short)random.Next(-255, 256),
            () => (short)random.Next(-2047, 2048),
            () => (short)random.Next(short.MinValue, short.MaxValue + 1),
            () => 0,
            () => (short)-random.Next(1, 3000),
            () => (short)random.Next(0, 600),
            () => 1024,
        ];
        var data = new short[rows * columns.Length];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = columns[i % columns.Length]();
        }

        data[3] = rows > 1 ? short.MinValue : data[3];
        var x = new QuantizedMatrix(data, rows, columns.Length);
        var plaintexts = Enumerable.Range(0, rows).Select(_ => (long)random.Next(-1_000_000, 1_000_000)).ToArray();
        var ciphertexts = new PaillierEncryptor(PublicKey).EncryptBatch(plaintexts);

        var result = new PaillierEvaluator(PublicKey).TransposeProduct(ciphertexts, x);

        Assert.Equal(columns.Length, result.Length);
        for (var j = 0; j < columns.Length; j++)
        {
            var column = Enumerable.Range(0, rows).Select(i => x[i, j]).ToArray();
            using var naive = PaillierReference.NaiveInnerProduct(ciphertexts, column);
            Assert.Equal(Value(naive), Value(result[j]));
            using var single = new PaillierEvaluator(PublicKey).InnerProduct(ciphertexts, column);
            Assert.Equal(Value(naive), Value(single));
        }

        var reference = new ReferencePaillier(TestKeys.Primary);
        var sums = Enumerable.Range(0, columns.Length)
            .Select(j => Enumerable.Range(0, rows).Aggregate(BigInteger.Zero, (s, i) => s + (BigInteger)plaintexts[i] * x[i, j]));
        Assert.Equal(sums, result.Select(c => reference.Decrypt(Value(c))));
        Assert.Equal(BigInteger.One, Value(result[4]));
    }

    private static short[] Column(string shape)
    {
        var random = new Random(shape.Length);
        short[] values = shape switch
        {
            "uniform11" => Enumerable.Range(0, 10_000).Select(_ => (short)random.Next(-1774, 1775)).ToArray(),
            "uniform16" => Enumerable.Range(0, 10_000).Select(_ => (short)random.Next(short.MinValue, short.MaxValue + 1)).ToArray(),
            "outlier" => Enumerable.Range(0, 10_000).Select(i => (short)(i == 5 ? 20_000 : random.Next(-1774, 1775))).ToArray(),
            "ones" => Enumerable.Range(0, 10_000).Select(_ => (short)random.Next(-1, 2)).ToArray(),
            "byte" => Enumerable.Range(0, 10_000).Select(_ => (short)random.Next(0, 256)).ToArray(),
            "single" => [32767],
            "zeros" => new short[10_000],
            "empty" => [],
            _ => throw new ArgumentOutOfRangeException(nameof(shape)),
        };
        if (shape.StartsWith("uniform", StringComparison.Ordinal))
        {
            values[0] = (short)(shape == "uniform11" ? 1774 : short.MaxValue);
            values[1] = (short)(shape == "uniform11" ? -1774 : short.MinValue);
        }

        return values;
    }

    private static int Choose(short[] weights, int maxWindowBits)
    {
        var histogram = Histogram(weights, out var maxPositive, out var maxNegative);
        return MultiExponentiation.ChooseWindowBits(histogram, maxPositive, maxNegative, maxWindowBits);
    }

    private static unsafe int[] Histogram(short[] weights, out int maxPositive, out int maxNegative)
    {
        var histogram = new int[MultiExponentiation.HistogramLength];
        fixed (short* w = weights)
        {
            (maxPositive, maxNegative) = MultiExponentiation.Magnitudes(w, 1, weights.Length, histogram);
        }

        Assert.Equal(weights.Length, histogram.Sum());
        return histogram;
    }

    private static BigInteger Value(Ciphertext c) => ReferencePaillier.Value(c, PublicKey);
}
