using System.Numerics;
using VerticalFL.Crypto.Ckks;

namespace VerticalFL.Crypto.Tests.Ckks;

public class ArithmeticTests
{
    [Fact]
    public void Barrett_reduction_matches_uint128_remainder_including_extremes()
    {
        var random = new Random(7);
        foreach (var q in new[] { 0xffffffffffe8001UL, 0xfffff4c001UL, 12289UL, (1UL << 61) - 1 })
        {
            var barrett = new Barrett(q);
            var samples = new List<UInt128> { UInt128.MaxValue, UInt128.Zero, q, (UInt128)q * q - 1, ((UInt128)q - 1) * (q - 1) * 255 };
            for (var i = 0; i < 2000; i++) samples.Add(new UInt128((ulong)random.NextInt64() * 2, (ulong)random.NextInt64() * 3));
            foreach (var z in samples) Assert.Equal((ulong)(z % q), barrett.Reduce((ulong)(z >> 64), (ulong)z));
        }
    }

    [Fact]
    public void Modular_add_matches_BigInteger_at_every_length_and_at_the_edges()
    {
        const ulong q = 0xffffffffffe8001; // a 60-bit SEAL prime (N = 8192, {60,40,40,60})
        var random = new Random(7);
        ulong Residue(int j) => (j % 4) switch { 0 => 0, 1 => q - 1, 2 => q / 2, _ => (ulong)random.NextInt64((long)q) };
        foreach (var length in new[] { 1, 7, 8, 9, 31, 8192 }) // tails after the vector lanes, and full vectors
        {
            var a = Enumerable.Range(0, length).Select(Residue).ToArray();
            var b = Enumerable.Range(0, length).Select(j => Residue(j + 1)).ToArray();
            var sum = new ulong[length];
            RnsPoly.Add(a, b, sum, q);
            for (var j = 0; j < length; j++)
                Assert.Equal((ulong)((new BigInteger(a[j]) + b[j]) % q), sum[j]);
        }
    }

    [Fact]
    public void Accumulator_folds_exactly_past_255_products_and_vector_paths_agree_with_scalar()
    {
        // Toy N = 64 with the largest residues (q − 1): 300 products cross the 255-product fold.
        var context = new CkksContext(CkksParameters.CreateInsecureForTests(64, [60, 60]));
        var q = context.Parameters.CoeffModulus[0];
        var level = context.Parameters.ParmsIdAtLevel(1);
        var plain = new Plaintext(Enumerable.Repeat(q - 1, 64).ToArray(), 64, 1, level, 1.0);
        var random = new Random(8);
        var encrypted = Enumerable.Range(0, 300).Select(_ =>
            new Ciphertext(Enumerable.Range(0, 128).Select(j => j % 3 == 0 ? q - 1 : (ulong)random.NextInt64((long)q)).ToArray(), 64, 1, level, true, 1.0)).ToArray();

        var accumulator = new CiphertextAccumulator(context, level);
        foreach (var c in encrypted) accumulator.MultiplyPlainAdd(c, plain);
        var expected = new ulong[128];
        for (var j = 0; j < 128; j++)
            expected[j] = (ulong)(encrypted.Aggregate(System.Numerics.BigInteger.Zero, (s, c) => s + (System.Numerics.BigInteger)c.Coefficients[j] * (q - 1)) % q);
        Assert.Equal(expected, accumulator.ToCiphertext().Coefficients.ToArray());
    }

    [VectorWidthFact(512)]
    public void Accumulate_vector512_equals_scalar() => AccumulatePathsAgree(NttPath.Vector512);

    [VectorWidthFact(256)]
    public void Accumulate_vector256_equals_scalar() => AccumulatePathsAgree(NttPath.Vector256);

    private static void AccumulatePathsAgree(NttPath path)
    {
        var random = new Random(9);
        var a = Enumerable.Range(0, 64).Select(_ => (ulong)random.NextInt64() >> 3).ToArray();
        var b = Enumerable.Range(0, 64).Select(_ => (ulong)random.NextInt64() >> 3).ToArray();
        var lowScalar = Enumerable.Range(0, 64).Select(_ => (ulong)random.NextInt64() * 2).ToArray();
        var highScalar = new ulong[64];
        var lowVector = (ulong[])lowScalar.Clone();
        var highVector = new ulong[64];
        CiphertextAccumulator.Accumulate(a, b, lowScalar, highScalar, NttPath.Scalar);
        CiphertextAccumulator.Accumulate(a, b, lowVector, highVector, path);
        Assert.Equal(lowScalar, lowVector);
        Assert.Equal(highScalar, highVector);
        Assert.Contains(highScalar, h => h != 0);
    }

    [Fact]
    public void Secret_key_is_zeroed_on_dispose_and_never_printed()
    {
        var context = new CkksContext(CkksParameters.CreateInsecureForTests(64, [40, 40]));
        var key = new KeyGenerator(context).SecretKey;
        var data = key.Data;
        Assert.Contains(data, v => v != 0);
        Assert.DoesNotContain(data[0].ToString(System.Globalization.CultureInfo.InvariantCulture), key.ToString());
        key.Dispose();
        Assert.All(data, v => Assert.Equal(0UL, v));
        Assert.Throws<ObjectDisposedException>(() => key.Data);
    }
}
