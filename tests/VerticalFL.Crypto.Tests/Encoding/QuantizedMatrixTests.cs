using VerticalFL.Crypto.Encoding;

namespace VerticalFL.Crypto.Tests.EncodingTests;

public sealed class QuantizedMatrixTests
{
    [Fact]
    public void Quantize_Values_RoundsToNearestAndKeepsRowMajorLayout()
    {
        var values = new[,] { { 0.5, -0.25, 1.0 / 3 }, { -1.0, 0.999, 0 } };

        var x = QuantizedMatrix.Quantize(values, 8);

        Assert.Equal((2, 3), (x.Rows, x.Columns));
        Assert.Equal(128, x[0, 0]);
        Assert.Equal(-64, x[0, 1]);
        Assert.Equal(85, x[0, 2]);   // 85.33…
        Assert.Equal(-256, x[1, 0]);
        Assert.Equal(256, x[1, 1]);  // 255.74…
        Assert.Equal(0, x[1, 2]);
    }

    [Fact]
    public void Quantize_ValueTooLarge_ThrowsNamingRowColumnAndValue()
    {
        var values = new[,] { { 0.0, 0.0 }, { 0.0, 1.5 } };

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => QuantizedMatrix.Quantize(values, 15));
        Assert.Contains("[1, 1]", e.Message);
        Assert.Contains("1.5", e.Message);
    }

    [Fact]
    public void Quantize_NaN_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => QuantizedMatrix.Quantize(new[,] { { double.NaN } }, 4));
    }

    [Fact]
    public void Quantize_ExtremesOfShort_AreAccepted()
    {
        var x = QuantizedMatrix.Quantize(new[,] { { -1.0, 32767.0 / 32768 } }, 15);

        Assert.Equal(short.MinValue, x[0, 0]);
        Assert.Equal(short.MaxValue, x[0, 1]);
    }

    [Fact]
    public void Constructor_CopiesData_LaterChangesDoNotLeakIn()
    {
        short[] data = [1, 2, 3, 4, 5, 6];
        var x = new QuantizedMatrix(data, 3, 2);
        data[5] = 99;

        Assert.Equal(6, x[2, 1]);
        Assert.Equal(3, x[1, 0]);
    }

    [Fact]
    public void Constructor_LengthMismatch_ThrowsNamingData()
    {
        var e = Assert.Throws<ArgumentException>(() => new QuantizedMatrix([1, 2, 3], 2, 2));
        Assert.Equal("data", e.ParamName);
    }

    [Fact]
    public void Indexer_OutOfRange_ThrowsNamingTheIndex()
    {
        var x = new QuantizedMatrix([1, 2], 1, 2);

        Assert.Equal("row", Assert.Throws<ArgumentOutOfRangeException>(() => x[1, 0]).ParamName);
        Assert.Equal("column", Assert.Throws<ArgumentOutOfRangeException>(() => x[0, 2]).ParamName);
    }
}
