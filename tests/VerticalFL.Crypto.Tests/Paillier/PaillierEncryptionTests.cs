using System.Numerics;
using VerticalFL.Crypto.Paillier;

namespace VerticalFL.Crypto.Tests.Paillier;

public sealed class PaillierEncryptionTests
{
    private static PaillierPrivateKey Key => TestKeys.Primary;

    [Theory]
    [InlineData(EncryptionMode.FixedBase)]
    [InlineData(EncryptionMode.ConstantTime)]
    public void Encrypt_RandomSignedValues_ReferenceDecryptionAndDecryptorAgree(EncryptionMode mode)
    {
        var encryptor = new PaillierEncryptor(Key.PublicKey, mode);
        var decryptor = new PaillierDecryptor(Key);
        var reference = new ReferencePaillier(Key);
        var random = new Random(1);
        var max = Key.PublicKey.MaxSafePlaintext;
        BigInteger[] values = [0, 1, -1, max, -max, .. Enumerable.Range(0, 20).Select(i => ReferencePaillier.RandomSigned(random, 8 + 50 * i))];

        foreach (var value in values)
        {
            using var ciphertext = encryptor.Encrypt(value);
            Assert.Equal(value, reference.Decrypt(ReferencePaillier.Value(ciphertext, Key.PublicKey)));
            Assert.Equal(value, decryptor.Decrypt(ciphertext));
        }
    }

    [Fact]
    public void Encrypt_SamePlaintextTwice_GivesDifferentCiphertexts()
    {
        var encryptor = new PaillierEncryptor(Key.PublicKey);
        using var a = encryptor.Encrypt(5);
        using var b = encryptor.Encrypt(5);

        Assert.NotEqual(ReferencePaillier.Value(a, Key.PublicKey), ReferencePaillier.Value(b, Key.PublicKey));
    }

    [Fact]
    public void Encrypt_RandomnessIsAnNthResidueTimesGToTheM_ByReferenceStructure()
    {
        // c·(1+mn)⁻¹ must be an n-th residue: raising it to λ gives 1 mod n² (Carmichael), independent check of the DJN form.
        var reference = new ReferencePaillier(Key);
        var n = reference.N;
        using var ciphertext = new PaillierEncryptor(Key.PublicKey).Encrypt(12345);
        var c = ReferencePaillier.Value(ciphertext, Key.PublicKey);
        var randomPart = c * ReferencePaillier.ModInverse(1 + 12345 * n, reference.NSquared) % reference.NSquared;
        var lambda = (reference.P - 1) * (reference.Q - 1) / BigInteger.GreatestCommonDivisor(reference.P - 1, reference.Q - 1);

        Assert.Equal(BigInteger.One, BigInteger.ModPow(randomPart, lambda, reference.NSquared));
        Assert.NotEqual(BigInteger.One, randomPart);
    }

    [Fact]
    public void EncryptBatch_Longs_DecryptBatchReturnsThemInOrder()
    {
        var random = new Random(2);
        var values = Enumerable.Range(0, 200).Select(_ => random.NextInt64(long.MinValue, long.MaxValue)).ToArray();
        values[0] = long.MinValue;
        values[1] = 0;

        var ciphertexts = new PaillierEncryptor(Key.PublicKey).EncryptBatch(values);
        var decrypted = new PaillierDecryptor(Key).DecryptBatch(ciphertexts);

        Assert.Equal(values.Select(v => new BigInteger(v)), decrypted);
        var reference = new ReferencePaillier(Key);
        Assert.Equal(new BigInteger(values[7]), reference.Decrypt(ReferencePaillier.Value(ciphertexts[7], Key.PublicKey)));
    }

    [Fact]
    public void EncryptBatch_BigIntegers_ConstantTimeModeRoundTrips()
    {
        var random = new Random(3);
        var values = Enumerable.Range(0, 40).Select(i => ReferencePaillier.RandomSigned(random, 300)).ToArray();

        var ciphertexts = new PaillierEncryptor(Key.PublicKey, EncryptionMode.ConstantTime).EncryptBatch(values);

        Assert.Equal(values, new PaillierDecryptor(Key).DecryptBatch(ciphertexts));
    }

    [Fact]
    public void Encrypt_AboveMaxSafePlaintext_ThrowsArgumentOutOfRange()
    {
        var encryptor = new PaillierEncryptor(Key.PublicKey);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => encryptor.Encrypt(Key.PublicKey.MaxSafePlaintext + 1));
        Assert.Equal("plaintext", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => encryptor.Encrypt(-Key.PublicKey.MaxSafePlaintext - 1));
    }

    [Fact]
    public void EncryptBatch_OneValueTooLarge_ThrowsNamingItsIndex()
    {
        BigInteger[] values = [1, 2, Key.PublicKey.MaxSafePlaintext * 2];

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new PaillierEncryptor(Key.PublicKey).EncryptBatch(values));
        Assert.Equal("plaintexts[2]", e.ParamName);
    }

    [Fact]
    public void Decrypt_SumOfTwoMaxSafeValues_ThrowsOverflow()
    {
        var encryptor = new PaillierEncryptor(Key.PublicKey);
        using var a = encryptor.Encrypt(Key.PublicKey.MaxSafePlaintext);
        using var b = encryptor.Encrypt(Key.PublicKey.MaxSafePlaintext);
        using var sum = new PaillierEvaluator(Key.PublicKey).Add(a, b);

        Assert.Throws<PaillierOverflowException>(() => new PaillierDecryptor(Key).Decrypt(sum));
    }

    [Fact]
    public void DecryptBatch_OverflowAtIndexTwo_ThrowsNamingIndexTwo()
    {
        var encryptor = new PaillierEncryptor(Key.PublicKey);
        var max = Key.PublicKey.MaxSafePlaintext;
        var evaluator = new PaillierEvaluator(Key.PublicKey);
        var ciphertexts = new[] { encryptor.Encrypt(1), encryptor.Encrypt(-1), evaluator.AddPlain(encryptor.Encrypt(max), max) };

        var e = Assert.Throws<PaillierOverflowException>(() => new PaillierDecryptor(Key).DecryptBatch(ciphertexts));
        Assert.Contains("Ciphertext 2", e.Message);
    }

    [Fact]
    public void Decrypt_CiphertextOfAnotherKey_ThrowsArgumentException()
    {
        using var ciphertext = new PaillierEncryptor(TestKeys.Other.PublicKey).Encrypt(3);

        Assert.Throws<ArgumentException>(() => new PaillierDecryptor(Key).Decrypt(ciphertext));
    }

    [Fact]
    public void Decrypt_DisposedCiphertext_ThrowsObjectDisposed()
    {
        var ciphertext = new PaillierEncryptor(Key.PublicKey).Encrypt(3);
        ciphertext.Dispose();

        Assert.Throws<ObjectDisposedException>(() => new PaillierDecryptor(Key).Decrypt(ciphertext));
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(4096)]
    [InlineData(0)]
    public void Generate_UnsupportedSize_ThrowsArgumentOutOfRange(int bits)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => PaillierPrivateKey.Generate(bits));
        Assert.Equal("modulusBits", e.ParamName);
    }

    [Fact]
    public void GenerateTestOnly1024_Key_HasExactly1024BitModulusOfTwo512BitPrimes()
    {
        var reference = new ReferencePaillier(Key);

        Assert.Equal(1024, Key.PublicKey.ModulusBits);
        Assert.Equal(1024, (int)Key.PublicKey.Modulus.GetBitLength());
        Assert.Equal(512, (int)reference.P.GetBitLength());
        Assert.Equal(512, (int)reference.Q.GetBitLength());
        Assert.Equal(Key.PublicKey.Modulus, reference.N);
        Assert.Equal(Key.PublicKey.Modulus / 3, Key.PublicKey.MaxSafePlaintext);
        Assert.Equal(256, Key.PublicKey.CiphertextBytes);
        Assert.True(IsProbablePrime(reference.P) && IsProbablePrime(reference.Q));
    }

    [Fact]
    public void PrivateKey_ToString_DoesNotRevealPrimes()
    {
        var reference = new ReferencePaillier(Key);
        var text = Key.ToString() ?? "";

        Assert.DoesNotContain(reference.P.ToString(), text);
        Assert.DoesNotContain(reference.P.ToString("X"), text, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Independent Miller-Rabin with fixed bases (BigInteger only).</summary>
    private static bool IsProbablePrime(BigInteger n)
    {
        var d = n - 1;
        var r = 0;
        while (d.IsEven)
        {
            d /= 2;
            r++;
        }

        foreach (var a in new BigInteger[] { 2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37 })
        {
            var x = BigInteger.ModPow(a, d, n);
            if (x == 1 || x == n - 1)
            {
                continue;
            }

            var witness = true;
            for (var i = 1; i < r && witness; i++)
            {
                x = BigInteger.ModPow(x, 2, n);
                witness = x != n - 1;
            }

            if (witness)
            {
                return false;
            }
        }

        return true;
    }
}
