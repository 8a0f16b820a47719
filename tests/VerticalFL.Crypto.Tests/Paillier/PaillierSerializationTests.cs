using System.Numerics;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using VerticalFL.Crypto.Native;
using VerticalFL.Crypto.Paillier;

namespace VerticalFL.Crypto.Tests.Paillier;

public sealed class PaillierSerializationTests
{
    private static PaillierPrivateKey Key => TestKeys.Primary;

    [Fact]
    public void PublicKeyExport_Layout_IsHeaderThenFixedWidthNAndHs()
    {
        var bytes = Key.PublicKey.Export();

        Assert.Equal(8 + 128 + 256, bytes.Length);
        Assert.Equal("VFLP"u8.ToArray(), bytes[..4]);
        Assert.Equal([1, 1, 0x04, 0x00], bytes[4..8]); // version 1, public, 1024 bits
        Assert.Equal(Key.PublicKey.Modulus, new BigInteger(bytes.AsSpan(8, 128), isUnsigned: true, isBigEndian: true));
    }

    [Fact]
    public void PublicKeyImport_ExportedKey_EncryptsForTheOriginalPrivateKey()
    {
        var imported = PaillierPublicKey.Import(Key.PublicKey.Export());

        using var ciphertext = new PaillierEncryptor(imported).Encrypt(-31337);

        Assert.Equal(Key.PublicKey.Modulus, imported.Modulus);
        Assert.Equal(-31337, new PaillierDecryptor(Key).Decrypt(ciphertext));
    }

    [Fact]
    public void PrivateKeyImport_ExportedKey_DecryptsTheOriginalsCiphertexts()
    {
        using var imported = PaillierPrivateKey.Import(Key.Export());
        using var ciphertext = new PaillierEncryptor(Key.PublicKey).Encrypt(424242);

        Assert.Equal(424242, new PaillierDecryptor(imported).Decrypt(ciphertext));
        Assert.Equal(Key.PublicKey.Export(), imported.PublicKey.Export());
    }

    public static TheoryData<string, Func<byte[], byte[]>> DamagedPrivateKeys => new()
    {
        { "truncated", b => b[..^1] },
        { "padded", b => [.. b, 0] },
        { "empty", _ => [] },
        { "bad magic", b => Flip(b, 0, 0x01) },
        { "version 2", b => Set(b, 4, 2) },
        { "public kind", b => Set(b, 5, 1) },
        { "512 bits", b => Set(b, 6, 0x02) },
        { "p not prime", b => Flip(b, 8 + 63, 0x02) },
        { "p too short", b => Set(b, 8, 0) },
        { "q equals p", b => CopyPToQ(b) },
        { "hs zero", b => ZeroFrom(b, 8 + 128) },
    };

    [Theory]
    [MemberData(nameof(DamagedPrivateKeys))]
    public void PrivateKeyImport_DamagedBytes_ThrowsArgumentException(string damage, Func<byte[], byte[]> corrupt)
    {
        var bytes = corrupt(Key.Export());

        var e = Assert.Throws<ArgumentException>(() => PaillierPrivateKey.Import(bytes));
        Assert.Equal("source", e.ParamName);
        Assert.False(string.IsNullOrEmpty(damage));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(200)]
    public void PublicKeyImport_TruncatedOrGarbled_ThrowsArgumentException(int cut)
    {
        var bytes = Key.PublicKey.Export();
        var damaged = cut == 0 ? Set(bytes, 5, 2) : cut == 1 ? Set(bytes, 8 + 127, 0x02) : bytes[..cut];

        Assert.Throws<ArgumentException>(() => PaillierPublicKey.Import(damaged));
    }

    [Fact]
    public void CiphertextWriteTo_ThenReadFrom_RoundTripsAndDecrypts()
    {
        using var original = new PaillierEncryptor(Key.PublicKey).Encrypt(-5);
        var bytes = new byte[Key.PublicKey.CiphertextBytes];
        original.WriteTo(bytes);

        using var copy = Ciphertext.ReadFrom(Key.PublicKey, bytes);

        Assert.Equal(ReferencePaillier.Value(original, Key.PublicKey), ReferencePaillier.Value(copy, Key.PublicKey));
        Assert.Equal(-5, new PaillierDecryptor(Key).Decrypt(copy));
    }

    [Fact]
    public void CiphertextWriteTo_WrongDestinationLength_ThrowsNamingDestination()
    {
        using var c = new PaillierEncryptor(Key.PublicKey).Encrypt(1);

        var e = Assert.Throws<ArgumentException>(() => c.WriteTo(new byte[Key.PublicKey.CiphertextBytes + 1]));
        Assert.Equal("destination", e.ParamName);
    }

    [Fact]
    public void CiphertextReadFrom_ZeroOrAtLeastNSquaredOrWrongLength_ThrowsArgumentException()
    {
        var size = Key.PublicKey.CiphertextBytes;
        var nSquared = Key.PublicKey.Modulus * Key.PublicKey.Modulus;
        var exactlyNSquared = new byte[size];
        nSquared.TryWriteBytes(exactlyNSquared, out _, isUnsigned: true, isBigEndian: true);

        Assert.Throws<ArgumentException>(() => Ciphertext.ReadFrom(Key.PublicKey, new byte[size]));
        Assert.Throws<ArgumentException>(() => Ciphertext.ReadFrom(Key.PublicKey, Enumerable.Repeat((byte)0xFF, size).ToArray()));
        Assert.Throws<ArgumentException>(() => Ciphertext.ReadFrom(Key.PublicKey, exactlyNSquared));
        Assert.Throws<ArgumentException>(() => Ciphertext.ReadFrom(Key.PublicKey, new byte[size - 1]));
    }

    [Fact]
    public void PackUnpack_ThreeCiphertexts_RoundTripInOrder()
    {
        var ciphertexts = new PaillierEncryptor(Key.PublicKey).EncryptBatch([7L, -8L, 9L]);

        var packed = Ciphertext.Pack(ciphertexts);
        var unpacked = Ciphertext.Unpack(Key.PublicKey, packed);

        Assert.Equal(3 * Key.PublicKey.CiphertextBytes, packed.Length);
        Assert.Equal([7, -8, 9], new PaillierDecryptor(Key).DecryptBatch(unpacked));
        Assert.Empty(Ciphertext.Unpack(Key.PublicKey, Ciphertext.Pack([])));
    }

    [Fact]
    public void Unpack_LengthNotAMultiple_ThrowsNamingPacked()
    {
        var packed = Ciphertext.Pack(new PaillierEncryptor(Key.PublicKey).EncryptBatch([1L, 2L]));

        var e = Assert.Throws<ArgumentException>(() => Ciphertext.Unpack(Key.PublicKey, packed.AsSpan(0, packed.Length - 3)));
        Assert.Equal("packed", e.ParamName);
        Assert.Contains("multiple", e.Message);
    }

    [Fact]
    public void Unpack_SecondElementOutOfRange_ThrowsNamingIndexOne()
    {
        var packed = Ciphertext.Pack(new PaillierEncryptor(Key.PublicKey).EncryptBatch([1L, 2L, 3L]));
        packed.AsSpan(Key.PublicKey.CiphertextBytes, Key.PublicKey.CiphertextBytes).Fill(0xFF);

        var e = Assert.Throws<ArgumentException>(() => Ciphertext.Unpack(Key.PublicKey, packed));
        Assert.Contains("ciphertext 1", e.Message);
    }

    [Fact]
    public void Pack_MixedKeys_ThrowsNamingTheStrayElement()
    {
        var mine = new PaillierEncryptor(Key.PublicKey).Encrypt(1);
        var theirs = new PaillierEncryptor(TestKeys.Other.PublicKey).Encrypt(1);

        var e = Assert.Throws<ArgumentException>(() => Ciphertext.Pack([mine, theirs]));
        Assert.Equal("ciphertexts[1]", e.ParamName);
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public void WriteToFile_PrivateKey_IsMode0600AndReadsBack()
    {
        var directory = Directory.CreateTempSubdirectory("vfl-paillier-");
        try
        {
            var path = Path.Combine(directory.FullName, "arbiter.key");
            File.WriteAllText(path, "old content, world-readable");
            File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);

            Key.WriteToFile(path);
            using var read = PaillierPrivateKey.ReadFromFile(path);

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(Key.PublicKey.Modulus, read.PublicKey.Modulus);
            Assert.Single(directory.GetFiles());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void ReadFromFile_GarbageFile_ThrowsArgumentExceptionNamingThePath()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(100));

            var e = Assert.Throws<ArgumentException>(() => PaillierPrivateKey.ReadFromFile(path));
            Assert.Contains(path, e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void GmpLibraryProbe_MissingLibrary_NamesTheDebianPackage()
    {
        Assert.Null(GmpLibrary.Probe(GmpNative.LibraryName));
        Assert.Contains("libgmp10", GmpLibrary.Probe("libvfl-no-such-library.so.1"));
    }

    private static byte[] Flip(byte[] b, int index, byte mask)
    {
        b[index] ^= mask;
        return b;
    }

    private static byte[] Set(byte[] b, int index, byte value)
    {
        b[index] = value;
        return b;
    }

    private static byte[] CopyPToQ(byte[] b)
    {
        b.AsSpan(8, 64).CopyTo(b.AsSpan(8 + 64, 64));
        return b;
    }

    private static byte[] ZeroFrom(byte[] b, int start)
    {
        b.AsSpan(start).Clear();
        return b;
    }
}
