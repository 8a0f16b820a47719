using System.Numerics;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using VerticalFL.Crypto.Psi;
using VerticalFL.Crypto.Psi.Avx512;

namespace VerticalFL.Crypto.Tests.Psi;

/// <summary>
/// The AVX-512 engine against two independent references: System.Numerics.BigInteger for the field, and
/// libsodium's crypto_scalarmult_ristretto255 (the other engine) for whole scalar multiplications.
/// On a CPU without AVX-512 they show as skipped, and one test checks instead that the engine refuses clearly.
/// </summary>
public sealed class Avx512RistrettoTests
{
    private static readonly BigInteger P = (BigInteger.One << 255) - 19;
    private static readonly int[] Offsets = [0, 26, 51, 77, 102, 128, 153, 179, 204, 230];
    private static readonly byte[] Generator = Convert.FromHexString(Rfc9496Vectors.SmallMultiples[0].Encoding);

    // The largest limbs Mul and Square promise to take: three carried values (1.65·2^26 even, 1.65·2^25 odd).
    private static long Bound(int limb) => (long)(1.65 * ((limb & 1) == 0 ? 1L << 26 : 1L << 25));

    [Avx512EngineFact]
    public void FastestEngine_Avx512Cpu_IsTheAvx512Engine() => Assert.Equal(ScalarMultEngine.Avx512, PsiKey.FastestEngine);

    [CpuWithoutAvx512Fact]
    public void Unsupported_Cpu_RefusesTheEngineClearly()
    {
        Assert.Equal(ScalarMultEngine.Libsodium, PsiKey.FastestEngine);
        var e = Assert.Throws<PlatformNotSupportedException>(() => PsiKey.Generate(ScalarMultEngine.Avx512));
        Assert.Contains("AVX-512", e.Message);
    }

    [Avx512EngineFact]
    public void MulAndSquare_RandomAndExtremeLimbs_MatchBigInteger()
    {
        var random = new Random(20261127);
        for (int round = 0; round < 200; round++)
        {
            var (f, fValues) = RandomElement(random, extreme: round % 4);
            var (g, gValues) = RandomElement(random, extreme: (round / 4) % 4);
            FieldElement8.Mul(in f, in g, out var product);
            FieldElement8.Square(in f, out var square);
            var productBytes = Bytes(product);
            var squareBytes = Bytes(square);
            for (int lane = 0; lane < 8; lane++)
            {
                Assert.Equal(Mod(fValues[lane] * gValues[lane]), LaneValue(productBytes, lane));
                Assert.Equal(Mod(fValues[lane] * fValues[lane]), LaneValue(squareBytes, lane));
            }
            AssertCarried(product);
            AssertCarried(square);
        }
    }

    [Avx512EngineFact]
    public void ToBytes_ValuesAroundP_AreCanonical()
    {
        BigInteger[] values = [0, 1, 18, 19, P - 1, P, P + 1, P + 18, P + 19, 2 * P - 1, (BigInteger.One << 255) - 1, -1, -P, 2 * P + 5];
        foreach (var value in values)
        {
            // Lane j holds value + j·p written with non-canonical limbs; every lane must come out as value mod p.
            var lanes = new long[80];
            for (int lane = 0; lane < 8; lane++)
                SpreadLimbs(value + lane * P, lanes, lane);
            var f = FieldElement8.FromLanes(lanes);
            FieldElement8.Carry(ref f);
            var bytes = Bytes(f);
            for (int lane = 0; lane < 8; lane++)
                Assert.Equal(Mod(value), LaneValue(bytes, lane));
        }
    }

    [Avx512EngineFact]
    public void SqrtRatioM1_RandomInputs_AgreesWithEulersCriterion()
    {
        var random = new Random(7);
        var sqrtM1 = BigInteger.ModPow(2, (P - 1) / 4, P);
        for (int round = 0; round < 20; round++)
        {
            var (u, uValues) = RandomElement(random, extreme: 0);
            var (v, vValues) = RandomElement(random, extreme: 0);
            var wasSquare = FieldElement8.SqrtRatioM1(in u, in v, out var r);
            var rBytes = Bytes(r);
            for (int lane = 0; lane < 8; lane++)
            {
                var ratio = Mod(uValues[lane] * BigInteger.ModPow(Mod(vValues[lane]), P - 2, P));
                bool square = BigInteger.ModPow(ratio, (P - 1) / 2, P) != P - 1;
                var root = LaneValue(rBytes, lane);
                Assert.Equal(square, wasSquare.GetElement(lane) == -1);
                Assert.Equal(square ? ratio : Mod(sqrtM1 * ratio), Mod(root * root));
                Assert.True(root.IsEven, "SQRT_RATIO_M1 returns the non-negative root");
            }
        }
    }

    [Fact]
    public void Recode_RandomAndEdgeScalars_DigitsSumToTheScalar()
    {
        var scalars = new List<byte[]> { new byte[32], Enumerable.Repeat((byte)0xff, 32).ToArray(), Enumerable.Repeat((byte)0x88, 32).ToArray() };
        for (int i = 0; i < 50; i++)
            scalars.Add(RandomNumberGenerator.GetBytes(32));
        foreach (var scalar in scalars)
        {
            var digits = new sbyte[64];
            unsafe
            {
                fixed (byte* s = scalar)
                    Avx512Ristretto.Recode(s, digits);
            }
            var expected = new BigInteger(scalar, isUnsigned: true) & ((BigInteger.One << 255) - 1);
            BigInteger sum = 0;
            for (int i = 63; i >= 0; i--)
                sum = sum * 16 + digits[i];
            Assert.Equal(expected, sum);
            Assert.All(digits[..63], d => Assert.InRange(d, -8, 7));
            Assert.InRange(digits[63], 0, 8);
        }
    }

    [Avx512EngineTheory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(17)]
    [InlineData(200)]
    public void Multiply_RandomPointsAndScalar_EqualsLibsodium(int count)
    {
        var points = RandomPoints(count);
        var scalar = RandomNumberGenerator.GetBytes(32);
        scalar[31] &= 0x0f;
        Assert.Equal(MultiplyWith(ScalarMultEngine.Libsodium, scalar, points), MultiplyWith(ScalarMultEngine.Avx512, scalar, points));
    }

    [Avx512EngineFact]
    public void Multiply_EdgeScalars_EqualsLibsodium()
    {
        var order = (BigInteger.One << 252) + BigInteger.Parse("27742317777372353535851937790883648493");
        BigInteger[] scalars = [1, 2, 8, 15, 16, 17, order - 1, order + 1, (BigInteger.One << 252) - 1, (BigInteger.One << 253) - 1, (BigInteger.One << 255) - 1, BigInteger.Parse("88888888888888888888888888888888")];
        var points = RandomPoints(16);
        foreach (var k in scalars)
        {
            var scalar = new byte[32];
            k.TryWriteBytes(scalar, out _, isUnsigned: true);
            Assert.Equal(MultiplyWith(ScalarMultEngine.Libsodium, scalar, points), MultiplyWith(ScalarMultEngine.Avx512, scalar, points));
        }
    }

    [Avx512EngineFact]
    public void Multiply_RandomByteStrings_AcceptsAndRejectsExactlyAsLibsodium()
    {
        // Most random strings are invalid (negative, non-square or non-canonical); a few decode. Each one alone.
        var scalar = RandomNumberGenerator.GetBytes(32);
        scalar[31] &= 0x0f;
        using var libsodium = PsiKey.ImportForTests(scalar, ScalarMultEngine.Libsodium);
        using var avx = PsiKey.ImportForTests(scalar, ScalarMultEngine.Avx512);
        int accepted = 0;
        for (int i = 0; i < 400; i++)
        {
            var candidate = RandomNumberGenerator.GetBytes(32);
            if (i % 2 == 0)
                candidate[0] &= 0xfe;   // even, so more of them get to the square-root test
            if (i % 4 == 0)
                candidate[31] &= 0x7f;
            var expected = TryMultiply(libsodium, candidate);
            var actual = TryMultiply(avx, candidate);
            Assert.Equal(expected, actual);
            accepted += expected is null ? 0 : 1;
        }
        Assert.InRange(accepted, 10, 390);
    }

    [Avx512EngineTheory]
    [InlineData(1)]
    [InlineData(9)]
    [InlineData(300)]
    public void HashToGroupAndMultiply_RandomIdsAndScalar_EqualsLibsodium(int count)
    {
        var scalar = RandomNumberGenerator.GetBytes(32);
        scalar[31] &= 0x0f;
        var salt = RandomNumberGenerator.GetBytes(32);
        var ids = Enumerable.Range(0, count).Select(i => $"id {i} {Guid.NewGuid()}").ToArray();
        byte[] Run(ScalarMultEngine engine)
        {
            using var key = PsiKey.ImportForTests(scalar, engine);
            var output = new byte[count * 32];
            key.HashToGroupAndMultiply(salt, ids, output);
            return output;
        }
        Assert.Equal(Run(ScalarMultEngine.Libsodium), Run(ScalarMultEngine.Avx512));
    }

    [Fact]
    public void Constants_SatisfyTheirDefinitions()
    {
        var d = Curve25519.D;
        Assert.Equal(Mod(-121665 * BigInteger.ModPow(121666, P - 2, P)), d);
        Assert.Equal(P - 1, Mod(Curve25519.SqrtM1 * Curve25519.SqrtM1));
        Assert.Equal(Mod(-d - 1), Mod(Curve25519.SqrtAdMinusOne * Curve25519.SqrtAdMinusOne));
        Assert.Equal(BigInteger.One, Mod(Curve25519.InvSqrtAMinusD * Curve25519.InvSqrtAMinusD * (-1 - d)));
    }

    [Avx512EngineFact]
    public void Multiply_InvalidPointAmongValidOnes_NamesItsIndex()
    {
        using var key = PsiKey.Generate(ScalarMultEngine.Avx512);
        foreach (int badIndex in new[] { 0, 5, 8, 12 })
        {
            var points = RandomPoints(13);
            Convert.FromHexString(Rfc9496Vectors.InvalidEncodings[badIndex % Rfc9496Vectors.InvalidEncodings.Length]).CopyTo(points, badIndex * 32);
            var e = Assert.Throws<CryptographicException>(() => key.Multiply(points, new byte[points.Length]));
            Assert.Contains($"Point {badIndex} ", e.Message);
        }
    }

    private static byte[] MultiplyWith(ScalarMultEngine engine, byte[] scalar, byte[] points)
    {
        using var key = PsiKey.ImportForTests(scalar, engine);
        var output = new byte[points.Length];
        key.Multiply(points, output);
        return output;
    }

    private static byte[]? TryMultiply(PsiKey key, byte[] point)
    {
        var output = new byte[32];
        try
        {
            key.Multiply(point, output);
            return output;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static byte[] RandomPoints(int count)
    {
        using var one = PsiKey.ImportForTests(Rfc9496Vectors.Scalar(1), ScalarMultEngine.Libsodium);
        var points = new byte[count * 32];
        one.HashToGroupAndMultiply(RandomNumberGenerator.GetBytes(16), Enumerable.Range(0, count).Select(i => $"p{i}").ToArray(), points);
        return points;
    }

    /// <summary>Eight random elements; extreme 1 puts every limb at +bound, 2 at −bound, 3 at ±bound at random.</summary>
    private static (FieldElement8 Element, BigInteger[] Values) RandomElement(Random random, int extreme)
    {
        var lanes = new long[80];
        var values = new BigInteger[8];
        for (int lane = 0; lane < 8; lane++)
        {
            BigInteger value = 0;
            for (int i = 0; i < 10; i++)
            {
                long bound = Bound(i);
                long limb = extreme switch
                {
                    1 => bound,
                    2 => -bound,
                    3 => random.Next(2) == 0 ? bound : -bound,
                    _ => random.NextInt64(-bound, bound + 1),
                };
                lanes[i * 8 + lane] = limb;
                value += new BigInteger(limb) << Offsets[i];
            }
            values[lane] = value;
        }
        return (FieldElement8.FromLanes(lanes), values);
    }

    private static void SpreadLimbs(BigInteger value, long[] lanes, int lane)
    {
        // Limb i gets the bits at its offset; the remainder above 2^255 goes to limb 9 unreduced.
        var v = value;
        for (int i = 0; i < 9; i++)
        {
            var limb = v & ((BigInteger.One << FieldElement8.LimbWidth(i)) - 1);
            lanes[i * 8 + lane] = (long)limb;
            v = (v - limb) >> FieldElement8.LimbWidth(i);
        }
        lanes[72 + lane] = (long)v;
    }

    private static void AssertCarried(FieldElement8 f)
    {
        var limbs = new[] { f.L0, f.L1, f.L2, f.L3, f.L4, f.L5, f.L6, f.L7, f.L8, f.L9 };
        for (int i = 0; i < 10; i++)
        {
            long limit = (long)(1.01 * ((i & 1) == 0 ? 1L << 25 : 1L << 24));
            for (int lane = 0; lane < 8; lane++)
                Assert.InRange(limbs[i].GetElement(lane), -limit, limit);
        }
    }

    private static byte[] Bytes(FieldElement8 f)
    {
        var bytes = new byte[256];
        FieldElement8.ToBytes(in f, bytes);
        return bytes;
    }

    private static BigInteger LaneValue(byte[] bytes, int lane)
    {
        var value = new BigInteger(bytes.AsSpan(lane * 32, 32), isUnsigned: true);
        Assert.True(value < P, "ToBytes must give the canonical representative");
        return value;
    }

    private static BigInteger Mod(BigInteger x) => ((x % P) + P) % P;
}
