using System.Numerics;
using System.Security.Cryptography;
using VerticalFL.Crypto.Paillier;

namespace VerticalFL.Crypto.Tests.Paillier;

/// <summary>
/// Issue 10 finding 7: the DJN conditions on generated keys (p ≡ q ≡ 3 mod 4, gcd(p−1, q−1) = 2), refusal of a
/// key that violates them, and the exponent s = 2^256 + r. Every condition is recomputed with
/// System.Numerics.BigInteger from the documented key layout, independently of GMP and of the code under test.
/// All keys are 1024-bit test-only keys.
/// </summary>
public sealed class PaillierKeyConditionsTests
{
    [Fact]
    public void GenerateTestOnly1024_SeveralKeys_PrimesAreThreeModFourWithGcdOfPMinusOneAndQMinusOneTwo()
    {
        for (int i = 0; i < 4; i++)
        {
            using var key = PaillierPrivateKey.GenerateTestOnly1024();
            var reference = new ReferencePaillier(key);
            Assert.Equal(3, (int)(reference.P % 4));
            Assert.Equal(3, (int)(reference.Q % 4));
            Assert.Equal(new BigInteger(2), BigInteger.GreatestCommonDivisor(reference.P - 1, reference.Q - 1));
            // Consequence used by DJN: −1 is a non-residue mod p (Euler's criterion gives p − 1, i.e. −1).
            Assert.Equal(reference.P - 1, BigInteger.ModPow(reference.P - 1, (reference.P - 1) / 2, reference.P));
        }
    }

    [Fact]
    public void Import_PrimeThatIsOneModFour_IsRefusedNamingTheCondition()
    {
        var reference = new ReferencePaillier(TestKeys.Primary);
        var p = Prime(512, p => p % 4 == 1);
        var e = Assert.Throws<ArgumentException>(() => PaillierPrivateKey.Import(WithPrimes(TestKeys.Primary.Export(), p, reference.Q)));
        Assert.Contains("3 mod 4", e.Message);
    }

    [Fact]
    public void Import_PrimesWhoseHalvesShareAFactorThree_IsRefusedNamingTheGcd()
    {
        // p ≡ q ≡ 7 (mod 12): both ≡ 3 (mod 4), and 6 divides both p−1 and q−1.
        var p = Prime(512, x => x % 12 == 7);
        var q = Prime(512, x => x % 12 == 7 && x != p);
        Assert.Equal(0, (int)(BigInteger.GreatestCommonDivisor(p - 1, q - 1) % 6));
        var e = Assert.Throws<ArgumentException>(() => PaillierPrivateKey.Import(WithPrimes(TestKeys.Primary.Export(), p, q)));
        Assert.Contains("gcd(p−1, q−1) must be 2", e.Message);
    }

    [Fact]
    public void NewExponent_Always257BitsWithEveryLowerBitRandom()
    {
        var seenSet = new bool[256];
        var seenClear = new bool[256];
        var s = new byte[PaillierEncryptor.ExponentBytes];
        for (int draw = 0; draw < 64; draw++)
        {
            PaillierEncryptor.NewExponent(s);
            var value = new BigInteger(s, isUnsigned: true, isBigEndian: false);
            Assert.Equal(257, (int)value.GetBitLength());
            for (int bit = 0; bit < 256; bit++)
            {
                if (((value >> bit) & 1) == 1) seenSet[bit] = true; else seenClear[bit] = true;
            }
        }
        // Each bit is fixed with probability 2^-63 per bit: a constant bit here means it is not random.
        Assert.All(Enumerable.Range(0, 256), bit => Assert.True(seenSet[bit] && seenClear[bit], $"bit {bit} never changed"));
    }

    [Theory]
    [InlineData(EncryptionMode.FixedBase)]
    [InlineData(EncryptionMode.ConstantTime)]
    public void Encrypt_ExponentWithTheTopBit_MatchesBigIntegerDjn(EncryptionMode mode)
    {
        var key = TestKeys.Primary;
        var s = new byte[PaillierEncryptor.ExponentBytes];
        PaillierEncryptor.NewExponent(s);
        BigInteger m = -123456789;

        using var ciphertext = new PaillierEncryptor(key.PublicKey, mode).EncryptForTesting(m, s);

        var n = key.PublicKey.Modulus;
        var nn = n * n;
        var publicBytes = key.PublicKey.Export();
        var hs = new BigInteger(publicBytes.AsSpan(8 + 128, 256), isUnsigned: true, isBigEndian: true);
        var exponent = new BigInteger(s, isUnsigned: true, isBigEndian: false);
        var expected = (1 + (m % n + n) % n * n) % nn * BigInteger.ModPow(hs, exponent, nn) % nn;
        Assert.Equal(expected, ReferencePaillier.Value(ciphertext, key.PublicKey));
        Assert.Equal(m, new PaillierDecryptor(key).Decrypt(ciphertext));
    }

    [Fact]
    public void Encrypt_ExponentAbove257Bits_IsRefusedByTheTable()
    {
        var s = new byte[PaillierEncryptor.ExponentBytes];
        s[^1] = 2;
        Assert.Throws<ArgumentException>(() => new PaillierEncryptor(TestKeys.Primary.PublicKey).EncryptForTesting(1, s));
    }

    private static byte[] WithPrimes(byte[] exported, BigInteger p, BigInteger q)
    {
        const int half = 64;
        p.TryWriteBytes(exported.AsSpan(8, half), out _, isUnsigned: true, isBigEndian: true);
        q.TryWriteBytes(exported.AsSpan(8 + half, half), out _, isUnsigned: true, isBigEndian: true);
        return exported;
    }

    /// <summary>A random prime of exactly <paramref name="bits"/> bits (top two set) passing <paramref name="accept"/>; Miller-Rabin, 40 rounds.</summary>
    private static BigInteger Prime(int bits, Func<BigInteger, bool> accept)
    {
        var bytes = new byte[bits / 8];
        while (true)
        {
            RandomNumberGenerator.Fill(bytes);
            bytes[0] |= 0xC0;
            bytes[^1] |= 1;
            var candidate = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
            if (accept(candidate) && IsProbablePrime(candidate)) return candidate;
        }
    }

    private static bool IsProbablePrime(BigInteger n)
    {
        foreach (int small in new[] { 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37 })
            if (n % small == 0) return false;
        var d = n - 1;
        int r = 0;
        while (d.IsEven) { d >>= 1; r++; }
        var buffer = new byte[n.GetByteCount(isUnsigned: true)];
        for (int round = 0; round < 40; round++)
        {
            RandomNumberGenerator.Fill(buffer);
            var a = new BigInteger(buffer, isUnsigned: true) % (n - 3) + 2;
            var x = BigInteger.ModPow(a, d, n);
            if (x == 1 || x == n - 1) continue;
            bool composite = true;
            for (int i = 1; i < r && composite; i++)
            {
                x = BigInteger.ModPow(x, 2, n);
                if (x == n - 1) composite = false;
            }
            if (composite) return false;
        }
        return true;
    }
}
