using System.Numerics;
using VerticalFL.Crypto.Ckks;

namespace VerticalFL.Crypto.Tests.Ckks;

public class SchemeTests(CkksFixture fixture) : IClassFixture<CkksFixture>
{
    private static readonly double Scale = Math.Pow(2, 40);

    private Ciphertext Encrypt(double[] values, double scale, ParmsId? level = null) =>
        fixture.Encryptor.Encrypt(fixture.Encoder.Encode(values, scale, level));

    private double[] Decrypt(Ciphertext encrypted) => fixture.Encoder.Decode(fixture.Decryptor.Decrypt(encrypted));

    private static void Near(double[] expected, double[] actual, double tolerance, int count = -1)
    {
        for (var i = 0; i < (count < 0 ? expected.Length : count); i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) < tolerance, $"slot {i}: expected {expected[i]}, got {actual[i]}");
    }

    [Fact]
    public void Encrypt_then_decrypt_returns_the_values()
    {
        var values = CkksFixture.RandomValues(10, 4096, 50);
        var encrypted = Encrypt(values, Scale);
        Assert.Equal(3, encrypted.CoeffModulusCount);
        Assert.True(encrypted.IsNttForm);
        Near(values, Decrypt(encrypted), 1e-6);
        // A different key does not decrypt it.
        using var other = new KeyGenerator(fixture.Context).SecretKey;
        var wrong = fixture.Encoder.Decode(new Decryptor(fixture.Context, other).Decrypt(encrypted));
        Assert.True(Math.Abs(wrong[0] - values[0]) > 1);
    }

    [Fact]
    public void Encryption_at_the_lowest_level_and_mod_switch_keep_the_values()
    {
        var values = CkksFixture.RandomValues(11, 100, 5);
        var low = Encrypt(values, Scale, fixture.Context.Parameters.ParmsIdAtLevel(1));
        Near(values, Decrypt(low), 1e-6, 100);
        var switched = fixture.Evaluator.ModSwitchToNext(Encrypt(values, Scale));
        Assert.Equal(2, switched.CoeffModulusCount);
        Near(values, Decrypt(switched), 1e-6, 100);
        var plain = fixture.Evaluator.ModSwitchToNext(fixture.Encoder.Encode(values, Scale));
        Near(values, fixture.Encoder.Decode(plain), 1e-8, 100);
        Assert.Throws<InvalidOperationException>(() => fixture.Evaluator.ModSwitchToNext(low));
    }

    [Fact]
    public void Add_and_add_plain_match_plaintext_sums()
    {
        var a = CkksFixture.RandomValues(12, 4096, 10);
        var b = CkksFixture.RandomValues(13, 4096, 10);
        var sum = a.Zip(b, (x, y) => x + y).ToArray();
        Near(sum, Decrypt(fixture.Evaluator.Add(Encrypt(a, Scale), Encrypt(b, Scale))), 1e-6);
        Near(sum, Decrypt(fixture.Evaluator.AddPlain(Encrypt(a, Scale), fixture.Encoder.Encode(b, Scale))), 1e-6);
        Assert.Throws<ArgumentException>(() => fixture.Evaluator.Add(Encrypt(a, Scale), Encrypt(b, Scale * 2)));
    }

    [Fact]
    public void Multiply_plain_matches_plaintext_products()
    {
        var a = CkksFixture.RandomValues(14, 4096, 10);
        var b = CkksFixture.RandomValues(15, 4096, 10);
        var product = fixture.Evaluator.MultiplyPlain(Encrypt(a, Scale), fixture.Encoder.Encode(b, Scale));
        Assert.Equal(Scale * Scale, product.Scale);
        Near(a.Zip(b, (x, y) => x * y).ToArray(), Decrypt(product), 1e-5);
    }

    [Fact]
    public void Add_and_multiply_plain_into_a_destination_equal_the_allocating_forms_byte_for_byte()
    {
        var a = Encrypt(CkksFixture.RandomValues(16, 4096, 10), Scale);
        var b = Encrypt(CkksFixture.RandomValues(17, 4096, 10), Scale);
        var plain = fixture.Encoder.Encode(CkksFixture.RandomValues(18, 4096, 10), Scale);
        var destination = a.Clone();
        fixture.Evaluator.Add(a, b, destination);
        Assert.Equal(fixture.Evaluator.Add(a, b).Data, destination.Data);
        fixture.Evaluator.MultiplyPlain(a, plain, destination);
        var product = fixture.Evaluator.MultiplyPlain(a, plain);
        Assert.Equal(product.Data, destination.Data);
        Assert.Equal(product.Scale, destination.Scale);
        // In place: the destination may be an operand.
        fixture.Evaluator.Add(destination, destination, destination);
        Assert.Equal(fixture.Evaluator.Add(product, product).Data, destination.Data);
    }

    [Fact]
    public void Accumulator_equals_multiply_plain_then_add_byte_for_byte_and_the_plaintext_sum()
    {
        var columns = Enumerable.Range(0, 5).Select(c => CkksFixture.RandomValues(20 + c, 4096, 3)).ToArray();
        var weights = Enumerable.Range(0, 5).Select(c => CkksFixture.RandomValues(30 + c, 4096, 3)).ToArray();
        var encrypted = columns.Select(v => Encrypt(v, Scale)).ToArray();
        var plains = weights.Select(v => fixture.Encoder.Encode(v, Scale)).ToArray();

        var accumulator = new CiphertextAccumulator(fixture.Context, fixture.Context.FirstParmsId);
        Ciphertext? sequential = null;
        for (var c = 0; c < 5; c++)
        {
            accumulator.MultiplyPlainAdd(encrypted[c], plains[c]);
            var product = fixture.Evaluator.MultiplyPlain(encrypted[c], plains[c]);
            sequential = sequential is null ? product : fixture.Evaluator.Add(sequential, product);
        }
        var accumulated = accumulator.ToCiphertext();
        Assert.Equal(sequential!.Coefficients.ToArray(), accumulated.Coefficients.ToArray());

        var expected = Enumerable.Range(0, 4096).Select(i => Enumerable.Range(0, 5).Sum(c => columns[c][i] * weights[c][i])).ToArray();
        Near(expected, Decrypt(accumulated), 1e-5);
    }

    [Fact]
    public void Coefficient_0_decryption_equals_the_full_decryptions_coefficient_and_the_slot_sum()
    {
        var values = CkksFixture.RandomValues(40, 4096, 20);
        var encrypted = Encrypt(values, Scale);
        var m0 = fixture.Decryptor.DecryptCoefficient0(encrypted);
        var full = EncoderTests.CentredCoefficients(fixture.Context, fixture.Decryptor.Decrypt(encrypted));
        Assert.Equal(full[0], m0);
        var slotSum = fixture.Context.N / 2 * (double)m0 / Scale;
        Assert.True(Math.Abs(slotSum - values.Sum()) < 1e-4, $"{slotSum} vs {values.Sum()}");
    }

    [Fact]
    public void Weighted_column_sums_over_102400_rows_are_within_1e_minus_6_at_the_lr_parameters()
    {
        // Hetero LR: Σ_rows d·x per feature column; d encrypted at Δ 2^50, x encoded at Δ 2^40, N 8192 {60,60,60}.
        var context = new CkksContext(CkksParameters.Create(8192, [60, 60, 60]));
        var keys = new KeyGenerator(context);
        using var secret = keys.SecretKey;
        var encoder = new CkksEncoder(context);
        var encryptor = new Encryptor(context, keys.CreatePublicKey());
        var decryptor = new Decryptor(context, secret);
        const int rows = 102_400, columns = 8, slots = 4096, chunks = rows / slots;
        var random = new Random(50);
        var d = Enumerable.Range(0, rows).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var x = Enumerable.Range(0, columns).Select(_ => Enumerable.Range(0, rows).Select(_ => random.NextDouble() * 2 - 1).ToArray()).ToArray();
        var encryptedD = Enumerable.Range(0, chunks).Select(k => encryptor.Encrypt(encoder.Encode(d.AsSpan(k * slots, slots), Math.Pow(2, 50)))).ToArray();
        for (var c = 0; c < columns; c++)
        {
            var accumulator = new CiphertextAccumulator(context, context.FirstParmsId);
            for (var k = 0; k < chunks; k++) accumulator.MultiplyPlainAdd(encryptedD[k], encoder.Encode(x[c].AsSpan(k * slots, slots), Math.Pow(2, 40)));
            var result = accumulator.ToCiphertext();
            var sum = slots * (double)decryptor.DecryptCoefficient0(result) / result.Scale;
            var expected = 0.0;
            for (var r = 0; r < rows; r++) expected += d[r] * x[c][r];
            Assert.True(Math.Abs(sum - expected) < 1e-6, $"column {c}: {sum} vs {expected}");
        }
    }
}
