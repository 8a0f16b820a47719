using System.Numerics;
using VerticalFL.Crypto.Paillier;

namespace VerticalFL.Crypto.Tests.Paillier;

/// <summary>
/// Known answers on keys small enough to check by hand. Source: the worked example of the Wikipedia article
/// "Paillier cryptosystem" (p = 7, q = 11, r = 23), re-done for g = n+1 with c = (1+m·n)·r^n mod n²; the
/// expected values were computed with Python's built-in pow(), independently of this code.
/// </summary>
public sealed class PaillierKnownAnswerTests
{
    // n = 77, n² = 5929, MaxSafePlaintext = 25, negatives from 77 − 25 = 52 upwards.
    [Theory]
    [InlineData(2993, 20)]   // (1 + 20·77)·23^77 mod 5929
    [InlineData(4148, -20)]  // m = 57 ≡ −20 (mod 77)
    public void Decrypt_WikipediaPrimesWithGEqualsNPlusOne_ReturnsSignedPlaintext(int c, int expected)
    {
        using var key = PaillierPrivateKey.FromPrimesForTesting(7, 11);
        using var ciphertext = Ciphertext.ReadFrom(key.PublicKey, BigEndian(c, key.PublicKey.CiphertextBytes));

        Assert.Equal(expected, new PaillierDecryptor(key).Decrypt(ciphertext));
    }

    [Fact]
    public void Decrypt_WikipediaMessage42_ThrowsOverflowBecause42IsAboveNOverThree()
    {
        using var key = PaillierPrivateKey.FromPrimesForTesting(7, 11);
        using var ciphertext = Ciphertext.ReadFrom(key.PublicKey, BigEndian(3840, key.PublicKey.CiphertextBytes)); // m = 42

        Assert.Throws<PaillierOverflowException>(() => new PaillierDecryptor(key).Decrypt(ciphertext));
    }

    // DJN on p = 11, q = 13: n = 143, h = −5² mod n = 118, hs = h^n mod n² = 11831, s = 0x0102 = 258.
    [Theory]
    [InlineData(EncryptionMode.FixedBase, 7, 17395)]
    [InlineData(EncryptionMode.FixedBase, -7, 17252)]
    [InlineData(EncryptionMode.FixedBase, 0, 7099)]
    [InlineData(EncryptionMode.ConstantTime, 7, 17395)]
    [InlineData(EncryptionMode.ConstantTime, -7, 17252)]
    public void Encrypt_GivenExponentOnTinyKey_MatchesHandComputedDjnCiphertext(EncryptionMode mode, int plaintext, int expected)
    {
        using var key = PaillierPrivateKey.FromPrimesForTesting(11, 13, hs: 11831);
        var exponent = new byte[32];
        exponent[0] = 0x02;
        exponent[1] = 0x01;

        using var ciphertext = new PaillierEncryptor(key.PublicKey, mode).EncryptForTesting(plaintext, exponent);

        Assert.Equal(new BigInteger(expected), ReferencePaillier.Value(ciphertext, key.PublicKey));
        Assert.Equal(plaintext, new PaillierDecryptor(key).Decrypt(ciphertext));
    }

    [Fact]
    public void PublicKey_TinyKey_ReportsModulusAndMaxSafePlaintext()
    {
        using var key = PaillierPrivateKey.FromPrimesForTesting(7, 11);

        Assert.Equal(new BigInteger(77), key.PublicKey.Modulus);
        Assert.Equal(new BigInteger(25), key.PublicKey.MaxSafePlaintext);
        Assert.Equal(7, key.PublicKey.ModulusBits);
        Assert.Equal(2, key.PublicKey.CiphertextBytes);
    }

    private static byte[] BigEndian(int value, int length)
    {
        var bytes = new byte[length];
        new BigInteger(value).TryWriteBytes(bytes.AsSpan(length - new BigInteger(value).GetByteCount(true)), out _, true, true);
        return bytes;
    }
}
