using System.Numerics;
using VerticalFL.Crypto.Encoding;
using VerticalFL.Crypto.Paillier;

namespace VerticalFL.Crypto.Tests.Paillier;

/// <summary>Every operation is checked two ways: the raw ciphertext against the same formula in BigInteger, and the plaintext.</summary>
public sealed class PaillierEvaluatorTests
{
    private static readonly Lazy<ReferencePaillier> Reference = new(() => new ReferencePaillier(TestKeys.Primary));

    private static PaillierPrivateKey Key => TestKeys.Primary;

    private static PaillierPublicKey PublicKey => Key.PublicKey;

    private static BigInteger NSquared => PublicKey.Modulus * PublicKey.Modulus;

    [Fact]
    public void Add_TwoCiphertexts_IsProductModNSquaredAndDecryptsToSum()
    {
        var (a, b) = (Encrypt(-123456789), Encrypt(987654321));

        using var sum = new PaillierEvaluator(PublicKey).Add(a, b);

        Assert.Equal(Value(a) * Value(b) % NSquared, Value(sum));
        Assert.Equal(987654321 - 123456789, Decrypt(sum));
    }

    [Fact]
    public void AddPlain_NegativePlaintext_DecryptsToSum()
    {
        var c = Encrypt(100);

        using var result = new PaillierEvaluator(PublicKey).AddPlain(c, -250);

        var n = PublicKey.Modulus;
        Assert.Equal(Value(c) * (1 + (n - 250) * n) % NSquared, Value(result));
        Assert.Equal(-150, Decrypt(result));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    [InlineData(32767)]
    [InlineData(-32768)]
    [InlineData(123456789012L)]
    public void MultiplyPlain_SignedFactor_MatchesModPowAndDecryptsToProduct(long k)
    {
        var c = Encrypt(-4321);

        using var result = new PaillierEvaluator(PublicKey).MultiplyPlain(c, k);

        var power = BigInteger.ModPow(Value(c), BigInteger.Abs(k), NSquared);
        var expected = k < 0 ? ReferencePaillier.ModInverse(power, NSquared) : power;
        Assert.Equal(expected, Value(result));
        Assert.Equal(-4321 * (BigInteger)k, Decrypt(result));
    }

    [Fact]
    public void Negate_Ciphertext_IsInverseAndDecryptsToNegation()
    {
        var c = Encrypt(77);

        using var result = new PaillierEvaluator(PublicKey).Negate(c);

        Assert.Equal(BigInteger.One, Value(c) * Value(result) % NSquared);
        Assert.Equal(-77, Decrypt(result));
    }

    [Fact]
    public void Sum_ManyCiphertexts_DecryptsToSumAndEmptyListIsZero()
    {
        var values = Enumerable.Range(-20, 41).Select(i => (long)i * 1000003).ToArray();
        var ciphertexts = new PaillierEncryptor(PublicKey).EncryptBatch(values);
        var evaluator = new PaillierEvaluator(PublicKey);

        using var sum = evaluator.Sum(ciphertexts);
        using var empty = evaluator.Sum([]);

        Assert.Equal(values.Sum(), Decrypt(sum));
        Assert.Equal(0, Decrypt(empty));
    }

    [Theory]
    [InlineData(1, 16)]
    [InlineData(7, 3)]
    [InlineData(300, 16)]
    [InlineData(300, 1)]
    [InlineData(1000, 9)]
    public void InnerProduct_RandomSignedWeights_MatchesBigIntegerFormulaAndPlaintext(int count, int weightBits)
    {
        var random = new Random(count * 31 + weightBits);
        var plaintexts = Enumerable.Range(0, count).Select(_ => (long)random.Next(-1_000_000, 1_000_000)).ToArray();
        var weights = Enumerable.Range(0, count).Select(_ => RandomWeight(random, weightBits)).ToArray();
        weights[0] = weightBits == 16 ? short.MinValue : weights[0];
        var ciphertexts = new PaillierEncryptor(PublicKey).EncryptBatch(plaintexts);

        using var result = new PaillierEvaluator(PublicKey).InnerProduct(ciphertexts, weights);

        AssertReferenceInnerProduct(ciphertexts, weights, result);
        Assert.Equal(plaintexts.Zip(weights, (m, w) => (BigInteger)m * w).Aggregate(BigInteger.Zero, BigInteger.Add), Decrypt(result));
    }

    [Fact]
    public unsafe void InnerProduct_DivisionFallback_GivesTheSameCiphertextAsMontgomery()
    {
        var random = new Random(9);
        var ciphertexts = new PaillierEncryptor(PublicKey).EncryptBatch(Enumerable.Range(0, 600).Select(i => (long)i).ToArray());
        var weights = Enumerable.Range(0, 600).Select(_ => RandomWeight(random, 16)).ToArray();
        var x = new QuantizedMatrix(weights, 300, 2);

        using var montgomery = new PaillierEvaluator(PublicKey).InnerProduct(ciphertexts, weights);
        using var division = new PaillierEvaluator(PublicKey, allowMontgomery: false).InnerProduct(ciphertexts, weights);
        var columnsMontgomery = new PaillierEvaluator(PublicKey).TransposeProduct(ciphertexts[..300], x);
        var columnsDivision = new PaillierEvaluator(PublicKey, allowMontgomery: false).TransposeProduct(ciphertexts[..300], x);

        Assert.True(VerticalFL.Crypto.Native.GmpLibrary.MontgomeryReduce != null, "libgmp10 should export mpn_redc_n");
        Assert.Equal(Value(montgomery), Value(division));
        Assert.Equal(columnsMontgomery.Select(Value), columnsDivision.Select(Value));
    }

    [Fact]
    public void InnerProduct_AllZeroWeights_DecryptsToZero()
    {
        var ciphertexts = new PaillierEncryptor(PublicKey).EncryptBatch([5L, 6L, 7L]);

        using var result = new PaillierEvaluator(PublicKey).InnerProduct(ciphertexts, [0, 0, 0]);

        Assert.Equal(0, Decrypt(result));
    }

    [Fact]
    public void InnerProduct_OnlyNegativeWeights_DecryptsToNegatedSum()
    {
        var ciphertexts = new PaillierEncryptor(PublicKey).EncryptBatch([5L, 6L, 7L]);

        using var result = new PaillierEvaluator(PublicKey).InnerProduct(ciphertexts, [-1, -300, -2]);

        Assert.Equal(-(5 + 1800 + 14), Decrypt(result));
    }

    [Fact]
    public void InnerProduct_CountMismatch_ThrowsArgumentExceptionNamingWeights()
    {
        var ciphertexts = new PaillierEncryptor(PublicKey).EncryptBatch([5L, 6L]);

        var e = Assert.Throws<ArgumentException>(() => new PaillierEvaluator(PublicKey).InnerProduct(ciphertexts, [1]));
        Assert.Equal("weights", e.ParamName);
    }

    [Fact]
    public void NaiveInnerProduct_RandomWeights_EqualsFastInnerProduct()
    {
        var random = new Random(5);
        var ciphertexts = new PaillierEncryptor(PublicKey).EncryptBatch(Enumerable.Range(0, 50).Select(i => (long)i - 25).ToArray());
        var weights = Enumerable.Range(0, 50).Select(_ => RandomWeight(random, 16)).ToArray();

        using var naive = PaillierReference.NaiveInnerProduct(ciphertexts, weights);
        using var fast = new PaillierEvaluator(PublicKey).InnerProduct(ciphertexts, weights);

        Assert.Equal(Value(naive), Value(fast));
    }

    [Fact]
    public void NaiveEncrypt_Value_DecryptsToIt()
    {
        using var c = PaillierReference.NaiveEncrypt(PublicKey, -99);

        Assert.Equal(-99, Decrypt(c));
    }

    [Theory]
    [InlineData(5000, 3)]  // rows split into blocks (few columns)
    [InlineData(40, 9)]
    [InlineData(1, 1)]
    public void TransposeProduct_RandomMatrix_EachColumnMatchesReferenceAndPlaintext(int rows, int columns)
    {
        var random = new Random(rows + columns);
        var data = Enumerable.Range(0, rows * columns).Select(_ => RandomWeight(random, 12)).ToArray();
        var x = new QuantizedMatrix(data, rows, columns);
        var plaintexts = Enumerable.Range(0, rows).Select(_ => (long)random.Next(-50_000, 50_000)).ToArray();
        var ciphertexts = new PaillierEncryptor(PublicKey).EncryptBatch(plaintexts);

        var result = new PaillierEvaluator(PublicKey).TransposeProduct(ciphertexts, x);

        Assert.Equal(columns, result.Length);
        for (var j = 0; j < columns; j++)
        {
            var column = Enumerable.Range(0, rows).Select(i => x[i, j]).ToArray();
            var expected = Enumerable.Range(0, rows).Aggregate(BigInteger.Zero, (sum, i) => sum + (BigInteger)plaintexts[i] * column[i]);
            Assert.Equal(expected, Decrypt(result[j]));
            if (rows <= 40 || j == 0)
            {
                AssertReferenceInnerProduct(ciphertexts, column, result[j]);
            }
        }
    }

    [Fact]
    public void TransposeProduct_CiphertextSharingAFactorWithN_IsRefusedOnEitherSignPath()
    {
        // n itself lies in (0, n²) but has no inverse mod n². With many wide two-signed columns the evaluator inverts
        // every row (the batch inversion fails); with one column of −1 it keeps the signs apart (the final inverse fails).
        var random = new Random(5);
        var ciphertexts = new PaillierEncryptor(PublicKey).EncryptBatch(Enumerable.Range(0, 64).Select(i => (long)i).ToArray()).ToList();
        var bytes = PublicKey.Modulus.ToByteArray(isUnsigned: true, isBigEndian: true);
        var padded = new byte[PublicKey.CiphertextBytes];
        bytes.CopyTo(padded, padded.Length - bytes.Length);
        ciphertexts[10] = Ciphertext.ReadFrom(PublicKey, padded);
        var wide = new QuantizedMatrix(Enumerable.Range(0, 64 * 40).Select(_ => (short)random.Next(-2000, 2001)).ToArray(), 64, 40);
        var minusOnes = new QuantizedMatrix(Enumerable.Repeat((short)-1, 64).ToArray(), 64, 1);
        foreach (var x in new[] { wide, minusOnes })
        {
            var e = Assert.Throws<ArgumentException>(() => new PaillierEvaluator(PublicKey).TransposeProduct(ciphertexts, x));
            Assert.Contains("shares a factor with n", e.Message);
        }
    }

    [Fact]
    public void TransposeProduct_ZeroColumnAndZeroRows_GiveEncryptionsOfZero()
    {
        var ciphertexts = new PaillierEncryptor(PublicKey).EncryptBatch([1L, 2L]);
        var evaluator = new PaillierEvaluator(PublicKey);

        var withZeroColumn = evaluator.TransposeProduct(ciphertexts, new QuantizedMatrix([0, 3, 0, -4], 2, 2));
        var noRows = evaluator.TransposeProduct([], new QuantizedMatrix([], 0, 2));

        Assert.Equal(0, Decrypt(withZeroColumn[0]));
        Assert.Equal(-5, Decrypt(withZeroColumn[1]));
        Assert.All(noRows, c => Assert.Equal(0, Decrypt(c)));
    }

    [Fact]
    public void TransposeProduct_RowCountMismatch_ThrowsArgumentExceptionNamingX()
    {
        var ciphertexts = new PaillierEncryptor(PublicKey).EncryptBatch([1L, 2L]);

        var e = Assert.Throws<ArgumentException>(() => new PaillierEvaluator(PublicKey).TransposeProduct(ciphertexts, new QuantizedMatrix([1, 2, 3], 3, 1)));
        Assert.Equal("x", e.ParamName);
    }

    [Fact]
    public void Add_CiphertextsOfDifferentKeys_ThrowsArgumentException()
    {
        var mine = Encrypt(1);
        using var theirs = new PaillierEncryptor(TestKeys.Other.PublicKey).Encrypt(1);

        var e = Assert.Throws<ArgumentException>(() => new PaillierEvaluator(PublicKey).Add(mine, theirs));
        Assert.Equal("b", e.ParamName);
    }

    [Fact]
    public void Sum_OneCiphertextOfAnotherKey_ThrowsNamingItsIndex()
    {
        using var theirs = new PaillierEncryptor(TestKeys.Other.PublicKey).Encrypt(1);

        var e = Assert.Throws<ArgumentException>(() => new PaillierEvaluator(PublicKey).Sum([Encrypt(1), theirs]));
        Assert.Equal("ciphertexts[1]", e.ParamName);
    }

    [Fact]
    public void Evaluator_KeyImportedFromBytes_AcceptsCiphertextsOfTheOriginal()
    {
        var imported = PaillierPublicKey.Import(PublicKey.Export());

        using var sum = new PaillierEvaluator(imported).Add(Encrypt(2), Encrypt(3));

        Assert.Equal(5, Decrypt(sum));
    }

    /// <summary>result·∏_{w&lt;0} c^|w| ≡ ∏_{w&gt;0} c^w (mod n²): the multi-exponentiation, checked without inverses.</summary>
    private static void AssertReferenceInnerProduct(IReadOnlyList<Ciphertext> ciphertexts, short[] weights, Ciphertext result)
    {
        var positive = BigInteger.One;
        var negative = BigInteger.One;
        for (var i = 0; i < weights.Length; i++)
        {
            var power = BigInteger.ModPow(Value(ciphertexts[i]), Math.Abs((int)weights[i]), NSquared);
            if (weights[i] < 0)
            {
                negative = negative * power % NSquared;
            }
            else
            {
                positive = positive * power % NSquared;
            }
        }

        Assert.Equal(positive, Value(result) * negative % NSquared);
    }

    private static short RandomWeight(Random random, int bits) => (short)random.Next(-(1 << (bits - 1)), 1 << (bits - 1));

    private static Ciphertext Encrypt(long value) => new PaillierEncryptor(PublicKey).Encrypt(value);

    private static BigInteger Value(Ciphertext c) => ReferencePaillier.Value(c, PublicKey);

    private static BigInteger Decrypt(Ciphertext c) => Reference.Value.Decrypt(Value(c));
}
