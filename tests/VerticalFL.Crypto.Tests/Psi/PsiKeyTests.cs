using System.Security.Cryptography;
using System.Text;
using VerticalFL.Crypto.Psi;

namespace VerticalFL.Crypto.Tests.Psi;

public sealed class PsiKeyTests
{
    private static readonly byte[] Generator = Convert.FromHexString(Rfc9496Vectors.SmallMultiples[0].Encoding);

    [Fact]
    public void Multiply_GeneratorBySmallScalars_MatchesRfc9496SmallMultiples()
    {
        foreach (var (k, expected) in Rfc9496Vectors.SmallMultiples)
        {
            using var key = PsiKey.ImportForTests(Rfc9496Vectors.Scalar(k));
            var output = new byte[PsiKey.PointSize];
            key.Multiply(Generator, output);
            Assert.Equal(expected, Convert.ToHexStringLower(output));
        }
    }

    [Fact]
    public void Multiply_Rfc9496InvalidEncodings_ThrowsNamingThePoint()
    {
        using var key = PsiKey.Generate();
        foreach (var bad in Rfc9496Vectors.InvalidEncodings)
        {
            // One good point first, so the failing index is 1, not 0.
            var points = Generator.Concat(Convert.FromHexString(bad)).ToArray();
            var e = Assert.Throws<CryptographicException>(() => key.Multiply(points, new byte[points.Length]));
            Assert.Contains("Point 1 ", e.Message);
        }
    }

    [Fact]
    public void Multiply_ValidPointWithBit255Set_IsRejectedAsNonCanonical() => RejectsBit255(ScalarMultEngine.Libsodium);

    [Avx512EngineFact]
    public void Multiply_Avx512ValidPointWithBit255Set_IsRejectedAsNonCanonical() => RejectsBit255(ScalarMultEngine.Avx512);

    private static void RejectsBit255(ScalarMultEngine engine)
    {
        using var key = PsiKey.Generate(engine);
        var point = (byte[])Generator.Clone();
        key.Multiply(point, new byte[32]);
        point[31] |= 0x80;   // s + 2^255: not < p, so RFC 9496 §4.3.1 says decoding fails
        Assert.Throws<CryptographicException>(() => key.Multiply(point, new byte[32]));
    }

    [Fact]
    public void Multiply_IdentityPoint_Throws()
    {
        using var key = PsiKey.Generate();
        Assert.Throws<CryptographicException>(() => key.Multiply(new byte[PsiKey.PointSize], new byte[PsiKey.PointSize]));
    }

    [Fact]
    public void Multiply_TwoKeysInEitherOrder_GiveTheSamePoints()
    {
        using var a = PsiKey.Generate();
        using var b = PsiKey.Generate();
        var salt = RandomNumberGenerator.GetBytes(32);
        var ids = Enumerable.Range(0, 300).Select(i => $"id-{i}").ToArray();
        var ha = new byte[ids.Length * PsiKey.PointSize];
        var hb = new byte[ha.Length];
        a.HashToGroupAndMultiply(salt, ids, ha);
        b.HashToGroupAndMultiply(salt, ids, hb);
        var hab = new byte[ha.Length];
        var hba = new byte[ha.Length];
        b.Multiply(ha, hab);
        a.Multiply(hb, hba);
        Assert.Equal(hab, hba);
        Assert.NotEqual(ha, hb);
        Assert.NotEqual(ha, hab);
    }

    [Fact]
    public void HashToGroupAndMultiply_ScalarOne_EqualsRfc9496HashToGroup()
    {
        // With an empty salt and scalar 1 the batch path must reproduce RFC 9496 A.3 exactly.
        using var one = PsiKey.ImportForTests(Rfc9496Vectors.Scalar(1));
        var labels = Rfc9496Vectors.HashToGroup.Select(v => v.Label).ToArray();
        var output = new byte[labels.Length * PsiKey.PointSize];
        one.HashToGroupAndMultiply(ReadOnlyMemory<byte>.Empty, labels, output);
        for (int i = 0; i < labels.Length; i++)
            Assert.Equal(Rfc9496Vectors.HashToGroup[i].Encoding, Convert.ToHexStringLower(output.AsSpan(i * 32, 32)));
    }

    [Fact]
    public void HashToGroupAndMultiply_SaltIsPrefixed_SameAsHashingSaltAndIdTogether()
    {
        // SHA-512(salt || id): splitting label 0 into a salt and an id must give the RFC vector for the whole label.
        using var one = PsiKey.ImportForTests(Rfc9496Vectors.Scalar(1));
        var salt = System.Text.Encoding.ASCII.GetBytes("Ristretto is ");
        var output = new byte[PsiKey.PointSize];
        one.HashToGroupAndMultiply(salt, new[] { "traditionally a short shot of espresso coffee" }, output);
        Assert.Equal(Rfc9496Vectors.HashToGroup[0].Encoding, Convert.ToHexStringLower(output));
    }

    [Fact]
    public void HashToGroupAndMultiply_ManyIds_EqualsOneAtATime()
    {
        using var key = PsiKey.Generate();
        var salt = RandomNumberGenerator.GetBytes(32);
        var ids = Enumerable.Range(0, 1000).Select(i => $"customer/{i}/ü").ToArray();
        var batch = new byte[ids.Length * PsiKey.PointSize];
        key.HashToGroupAndMultiply(salt, ids, batch);
        for (int i = 0; i < ids.Length; i += 97)
        {
            var single = new byte[PsiKey.PointSize];
            key.HashToGroupAndMultiply(salt, new[] { ids[i] }, single);
            Assert.Equal(single, batch.AsSpan(i * 32, 32).ToArray());
        }
    }

    [Fact]
    public void HashToGroupAndMultiply_LongId_HashesSaltAndUtf8OfTheWholeId()
    {
        // Over 1 KiB takes the pooled-buffer path; compare with SHA-512 + from_hash computed here.
        string id = string.Concat(Enumerable.Repeat("é-long-id-", 200));
        var salt = RandomNumberGenerator.GetBytes(32);
        var hash = SHA512.HashData(salt.Concat(System.Text.Encoding.UTF8.GetBytes(id)).ToArray());
        var expected = new byte[PsiKey.PointSize];
        Ristretto255.FromHash(hash, expected);
        using var one = PsiKey.ImportForTests(Rfc9496Vectors.Scalar(1));
        var output = new byte[PsiKey.PointSize];
        one.HashToGroupAndMultiply(salt, new[] { id }, output);
        Assert.Equal(expected, output);
    }

    [Fact]
    public void HashToGroupAndMultiply_DifferentSalts_GiveDifferentPoints()
    {
        using var key = PsiKey.Generate();
        var first = new byte[PsiKey.PointSize];
        var second = new byte[PsiKey.PointSize];
        key.HashToGroupAndMultiply(RandomNumberGenerator.GetBytes(32), new[] { "alice" }, first);
        key.HashToGroupAndMultiply(RandomNumberGenerator.GetBytes(32), new[] { "alice" }, second);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void HashToGroupAndMultiply_LoneSurrogate_ThrowsArgumentException()
    {
        using var key = PsiKey.Generate();
        Assert.Throws<ArgumentException>(() =>
            key.HashToGroupAndMultiply(new byte[32], new[] { "ok", "bad\ud800" }, new byte[2 * PsiKey.PointSize]));
    }

    [Fact]
    public void Multiply_WrongOutputSize_ThrowsArgumentException()
    {
        using var key = PsiKey.Generate();
        Assert.Throws<ArgumentException>(() => key.Multiply(Generator, new byte[31]));
        Assert.Throws<ArgumentException>(() => key.Multiply(new byte[33], new byte[33]));
    }

    [Fact]
    public void Multiply_AfterDispose_ThrowsObjectDisposed()
    {
        var key = PsiKey.Generate();
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.Multiply(Generator, new byte[32]));
    }

    [Fact]
    public void ToString_KnownScalar_DoesNotRevealIt()
    {
        var scalar = RandomNumberGenerator.GetBytes(32);
        scalar[31] &= 0x0f;
        using var key = PsiKey.ImportForTests(scalar);
        string text = key.ToString();
        Assert.DoesNotContain(Convert.ToHexString(scalar)[..8], text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(scalar)[..8], text);
    }

    [Fact]
    public void Generate_TwoKeys_AreDifferent()
    {
        using var a = PsiKey.Generate();
        using var b = PsiKey.Generate();
        var pa = new byte[32];
        var pb = new byte[32];
        a.Multiply(Generator, pa);
        b.Multiply(Generator, pb);
        Assert.NotEqual(pa, pb);
    }
}
