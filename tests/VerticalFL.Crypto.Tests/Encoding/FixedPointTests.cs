using System.Numerics;
using VerticalFL.Crypto.Encoding;

namespace VerticalFL.Crypto.Tests.EncodingTests;

public sealed class FixedPointTests
{
    [Theory]
    [InlineData(1.5, 2, 6)]
    [InlineData(-0.375, 3, -3)]
    [InlineData(0.5, 0, 0)]     // ties to even
    [InlineData(1.5, 0, 2)]
    [InlineData(-2.5, 0, -2)]
    [InlineData(0.1, 16, 6554)] // 0.1·65536 = 6553.6
    [InlineData(-1e-30, 16, 0)]
    public void Encode_Value_RoundsToNearestScaledInteger(double value, int fractionalBits, long expected)
    {
        Assert.Equal(new BigInteger(expected), FixedPoint.Encode(value, fractionalBits));
    }

    [Fact]
    public void Encode_HugeValueWithManyBits_IsExact()
    {
        Assert.Equal(BigInteger.Pow(2, 1000 + 200), FixedPoint.Encode(Math.ScaleB(1, 1000), 200));
        Assert.Equal(-3 * BigInteger.Pow(2, 99), FixedPoint.Encode(-1.5, 100));
    }

    [Theory]
    [InlineData(6, 2, 1.5)]
    [InlineData(-3, 3, -0.375)]
    [InlineData(0, 40, 0)]
    public void Decode_Value_DividesByTheScale(long value, int fractionalBits, double expected)
    {
        Assert.Equal(expected, FixedPoint.Decode(value, fractionalBits));
    }

    [Fact]
    public void Decode_ValueBeyondDoubleRangeBeforeScaling_IsStillFinite()
    {
        Assert.Equal(Math.ScaleB(1, 1000), FixedPoint.Decode(BigInteger.Pow(2, 1100), 100));
    }

    [Fact]
    public void EncodeDecode_RandomValues_ErrorAtMostHalfAUnit()
    {
        var random = new Random(11);
        for (var i = 0; i < 2000; i++)
        {
            var value = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-6, 9));
            var bits = random.Next(0, 60);

            var back = FixedPoint.Decode(FixedPoint.Encode(value, bits), bits);

            Assert.True(Math.Abs(back - value) <= Math.ScaleB(0.5, -bits) * (1 + 1e-12) + Math.Abs(value) * 1e-15, $"{value} with {bits} bits came back as {back}");
        }
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Encode_NonFinite_ThrowsNamingValue(double value)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => FixedPoint.Encode(value, 8));
        Assert.Equal("value", e.ParamName);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1001)]
    public void Encode_ScaleOutOfRange_ThrowsNamingFractionalBits(int bits)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => FixedPoint.Encode(1, bits));
        Assert.Equal("fractionalBits", e.ParamName);
    }
}
