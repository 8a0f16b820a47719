using System.Buffers.Binary;
using VerticalFL.Crypto.Ckks;
using VerticalFL.Crypto.Ckks.Serialization;

namespace VerticalFL.Crypto.Tests.Ckks;

/// <summary>
/// SEAL's layouts and what our reader refuses. Sizes are SEAL's own (SEAL 4.1 as node-seal 7.0.0 saved them,
/// DESIGN.md §7); SEAL-made bytes come from Fixtures/ (see its README).
/// </summary>
public sealed class SealFormatTests
{
    private static readonly CkksParameters Small = CkksParameters.Create(4096, [36, 36, 37]);
    private static readonly CkksParameters Lr = CkksParameters.Create(8192, [60, 40, 40, 60]);

    private static byte[] SealPlaintext() =>
        File.ReadAllBytes(Path.Combine(SealNode.FixturesDir, "plaintext-n4096-36-36-37-scale30.seal"));

    /// <summary>A well-formed ciphertext with random residues below each prime.</summary>
    private static byte[] RandomCiphertext(CkksParameters parameters, int primeCount, int seed = 1)
    {
        var random = new Random(seed);
        var n = parameters.PolyModulusDegree;
        var data = new ulong[2 * primeCount * n];
        for (var i = 0; i < data.Length; i++) data[i] = (ulong)random.NextInt64() % parameters.CoeffModulus[i / n % primeCount];
        return SealPolyFormat.WriteCiphertext(parameters.ParmsIdAtLevel(primeCount), 2, n, primeCount, Math.Pow(2, 40), data);
    }

    [Fact]
    public void Sizes_AtTheLrParameters_AreSeals()
    {
        Assert.Equal(393_329, RandomCiphertext(Lr, 3).Length);
        Assert.Equal(524_401, SealPolyFormat.WriteCiphertext(Lr.KeyParmsId, 2, 8192, 4, 1.0, new ulong[2 * 4 * 8192]).Length);
        Assert.Equal(262_232, SealPolyFormat.WritePlaintext(Lr.KeyParmsId, 8192, 4, 1.0, new ulong[4 * 8192]).Length);
    }

    [Fact]
    public void Header_IsSeals_Version41_CompressionNone_TotalSize()
    {
        var bytes = RandomCiphertext(Small, 2);
        Assert.Equal(Convert.FromHexString("5EA1100401000000"), bytes[..8]);
        Assert.Equal((ulong)bytes.Length, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8)));
    }

    [Fact]
    public void Ciphertext_RoundTrip_KeepsEveryField()
    {
        var bytes = RandomCiphertext(Small, 2);
        var cipher = SealSerializer.LoadCiphertext(bytes, Small, "ct");
        Assert.Equal(Small.ParmsIdAtLevel(2), cipher.ParmsId);
        Assert.Equal(Math.Pow(2, 40), cipher.Scale);
        Assert.Equal(2, cipher.CoeffModulusCount);
        Assert.Equal(bytes, SealSerializer.Save(cipher));
    }

    [Fact]
    public void Truncated_IsRefusedAsTruncated()
    {
        var bytes = SealPlaintext();
        foreach (var length in new[] { 0, 10, 16, 60, bytes.Length - 1 })
        {
            var e = Assert.Throws<SealFormatException>(() => SealSerializer.LoadPlaintext(bytes.AsSpan(0, length), Small, "pt.seal"));
            Assert.Contains("pt.seal", e.Message);
            Assert.Contains("truncated", e.Message);
        }
    }

    [Fact]
    public void Truncated_InsideTheBody_WithAMatchingHeader_IsRefused()
    {
        var bytes = SealPlaintext()[..^8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), (ulong)bytes.Length); // header agrees with the short file
        var e = Assert.Throws<SealFormatException>(() => SealSerializer.LoadPlaintext(bytes, Small, "pt.seal"));
        Assert.Contains("truncated", e.Message);
    }

    [Theory]
    [InlineData(1, "zlib")]
    [InlineData(2, "zstd")]
    [InlineData(9, "unknown mode 9")]
    public void Compressed_IsRefusedNamingTheMode(byte mode, string name)
    {
        var bytes = SealPlaintext();
        bytes[5] = mode;
        var e = Assert.Throws<SealFormatException>(() => SealSerializer.LoadPlaintext(bytes, Small, "pt.seal"));
        Assert.Contains("compress", e.Message);
        Assert.Contains(name, e.Message);
    }

    [Fact]
    public void WrongMagic_IsRefused()
    {
        var bytes = SealPlaintext();
        bytes[0] = 0x5F;
        var e = Assert.Throws<SealFormatException>(() => SealSerializer.LoadPlaintext(bytes, Small, "pt.seal"));
        Assert.Contains("magic", e.Message);
    }

    [Theory]
    [InlineData(3, 4)]
    [InlineData(4, 5)]
    [InlineData(5, 0)]
    public void UnsupportedVersion_IsRefused(byte major, byte minor)
    {
        var bytes = SealPlaintext();
        bytes[3] = major;
        bytes[4] = minor;
        var e = Assert.Throws<SealFormatException>(() => SealSerializer.LoadPlaintext(bytes, Small, "pt.seal"));
        Assert.Contains($"version {major}.{minor}", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(4)]
    public void Versions40To44_AreRead(byte minor)
    {
        var bytes = SealPlaintext();
        foreach (var offset in new[] { 0, 16 + 48 }) bytes[offset + 4] = minor; // the object's header and its array's
        Assert.Equal(Small.FirstParmsId, SealSerializer.LoadPlaintext(bytes, Small, "pt.seal").ParmsId);
    }

    [Fact]
    public void WrongParmsId_OtherParameters_IsRefused()
    {
        var e = Assert.Throws<SealFormatException>(() => SealSerializer.LoadPlaintext(SealPlaintext(), Lr, "pt.seal"));
        Assert.Contains("parms_id", e.Message);
        Assert.Contains("other parameters", e.Message);
    }

    [Fact]
    public void WrongParmsId_OneFlippedBit_IsRefused()
    {
        var bytes = RandomCiphertext(Small, 2);
        bytes[16] ^= 1;
        var e = Assert.Throws<SealFormatException>(() => SealSerializer.LoadCiphertext(bytes, Small, "ct.seal"));
        Assert.Contains("parms_id", e.Message);
    }

    [Fact]
    public void CiphertextAtTheKeyLevel_IsRefusedAsData_AndPublicKeyBelowIt()
    {
        var keyLevel = RandomCiphertext(Small, 3);
        Assert.Contains("key level", Assert.Throws<SealFormatException>(() => SealSerializer.LoadCiphertext(keyLevel, Small, "ct")).Message);
        Assert.Contains("key level", Assert.Throws<SealFormatException>(() => SealSerializer.LoadPublicKey(RandomCiphertext(Small, 2), Small, "pk")).Message);
        Assert.Equal(Small.KeyParmsId, SealSerializer.LoadPublicKey(keyLevel, Small, "pk").ParmsId);
    }

    [Fact]
    public void CoefficientEqualToItsPrime_IsRefused()
    {
        var bytes = SealPlaintext();
        var prime = Small.CoeffModulus[1];
        var offset = 16 + 48 + 24 + 8 * (4096 + 17); // prime 1, coefficient 17
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(offset), prime);
        var e = Assert.Throws<SealFormatException>(() => SealSerializer.LoadPlaintext(bytes, Small, "pt.seal"));
        Assert.Contains("coefficient 17", e.Message);
        Assert.Contains($"prime {prime}", e.Message);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(offset), prime - 1);
        SealSerializer.LoadPlaintext(bytes, Small, "pt.seal"); // one below is fine
    }

    [Fact]
    public void CoefficientAboveItsPrime_InACiphertextsSecondPolynomial_IsRefused()
    {
        var bytes = RandomCiphertext(Small, 2);
        var offset = bytes.Length - 8; // last coefficient of c1 modulo prime 1
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(offset), ulong.MaxValue);
        var e = Assert.Throws<SealFormatException>(() => SealSerializer.LoadCiphertext(bytes, Small, "ct.seal"));
        Assert.Contains("polynomial 1", e.Message);
    }

    [Fact]
    public void SeededLayout_IsRefusedAsSeeded()
    {
        // SEAL's seeded layout: the array holds c0 only (N·L words) and the seed follows it.
        var full = RandomCiphertext(Small, 2);
        var arrayStart = 16 + 73;
        var seededArray = 24 + 8 * 4096 * 2;
        var bytes = new byte[arrayStart + seededArray + 81];
        full.AsSpan(0, arrayStart + seededArray).CopyTo(bytes);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), (ulong)bytes.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(arrayStart + 8), (ulong)seededArray);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(arrayStart + 16), 4096 * 2);
        var e = Assert.Throws<SealFormatException>(() => SealSerializer.LoadCiphertext(bytes, Small, "ct.seal"));
        Assert.Contains("seeded", e.Message);
    }

    [Fact]
    public void AFileOfAnotherKind_IsNamedAsSuch()
    {
        var plaintext = SealPlaintext();
        Assert.Contains("holds a SEAL Plaintext (or SecretKey), not a Ciphertext",
            Assert.Throws<SealFormatException>(() => SealSerializer.LoadPublicKey(plaintext, Small, "pk")).Message);
        Assert.Contains("holds a SEAL Ciphertext (or PublicKey), not a Plaintext",
            Assert.Throws<SealFormatException>(() => SealSerializer.LoadSecretKey(RandomCiphertext(Small, 3), Small, "sk")).Message);
        Assert.Contains("not EncryptionParameters",
            Assert.Throws<SealFormatException>(() => SealSerializer.LoadParameters(plaintext, "parms")).Message);
        Assert.Contains("EncryptionParameters, not a Ciphertext",
            Assert.Throws<SealFormatException>(() => SealSerializer.LoadCiphertext(SealSerializer.Save(Small), Small, "ct")).Message);
    }

    [Fact]
    public void TrailingBytes_AreRefused()
    {
        var bytes = SealPlaintext().Concat(new byte[3]).ToArray();
        Assert.Contains("unexpected bytes", Assert.Throws<SealFormatException>(() => SealSerializer.LoadPlaintext(bytes, Small, "pt")).Message);
    }

    [Fact]
    public void Parameters_OfAnotherScheme_OrWithAPlainModulus_OrAboveTheBound_AreRefused()
    {
        var bytes = SealSerializer.Save(Small);
        var bfv = (byte[])bytes.Clone();
        bfv[16] = 1;
        Assert.Contains("BFV", Assert.Throws<SealFormatException>(() => SealSerializer.LoadParameters(bfv, "p")).Message);
        var plain = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(plain.AsSpan(plain.Length - 8), 65537);
        Assert.Contains("plain modulus", Assert.Throws<SealFormatException>(() => SealSerializer.LoadParameters(plain, "p")).Message);
        // N = 4096 with {60,40,40,60}'s four primes: 200 bits, above 109.
        var big = SealSerializer.Save(Lr);
        BinaryPrimitives.WriteUInt64LittleEndian(big.AsSpan(17), 4096);
        Assert.Contains("109", Assert.Throws<SealFormatException>(() => SealSerializer.LoadParameters(big, "p")).Message);
    }

    [Fact]
    public void SecretKeyFile_WrittenPrivate_AndItsBytesZeroedAfterLoading()
    {
        var data = new ulong[3 * 4096];
        for (var i = 0; i < data.Length; i++) data[i] = (ulong)(i % 3 == 0 ? 1 : 0); // a ternary key in the clear is fine for this check
        var path = Path.Combine(Path.GetTempPath(), $"vfl-sk-{Guid.NewGuid():N}.seal");
        try
        {
            SealFile.WriteAtomic(path, SealPolyFormat.WritePlaintext(Small.KeyParmsId, 4096, 3, 1.0, data), isPrivate: true);
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            byte[]? seen = null;
            using var key = SealFile.ReadSecret(path, bytes =>
            {
                seen = bytes;
                return SealSerializer.LoadSecretKey(bytes, Small, path);
            });
            Assert.Equal(Small.KeyParmsId, key.ParmsId);
            Assert.All(seen!, b => Assert.Equal(0, b));
            Assert.Empty(Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(path) + ".tmp-*"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Inspector_NamesTheObjectAndItsLevel()
    {
        var inspection = SealInspector.Describe(SealPlaintext(), "pt.seal", Small);
        Assert.Null(inspection.Problem);
        Assert.Contains(inspection.Lines, l => l.StartsWith("object: Plaintext", StringComparison.Ordinal));
        Assert.Contains(inspection.Lines, l => l.Contains("valid plaintext for these parameters (2 primes)", StringComparison.Ordinal));
        var compressed = SealPlaintext();
        compressed[5] = 1;
        Assert.Contains("zlib", SealInspector.Describe(compressed, "pt.seal").Problem);
    }
}
