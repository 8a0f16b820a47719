using System.Diagnostics;

namespace VerticalFL.Crypto.Encoding;

/// <summary>
/// An immutable rows × columns matrix of 16-bit signed integers, row-major: features quantised to a small
/// fixed point (value·2^fractionalBits), the exponents of <c>PaillierEvaluator.TransposeProduct</c>.
/// </summary>
[DebuggerDisplay("QuantizedMatrix {Rows} × {Columns}")]
public sealed class QuantizedMatrix
{
    /// <summary>Copies <paramref name="data"/> (row-major, length rows·columns).</summary>
    public QuantizedMatrix(short[] data, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if ((long)rows * columns != data.Length)
        {
            throw new ArgumentException($"A {rows} × {columns} matrix needs {(long)rows * columns} values but {data.Length} were given.", nameof(data));
        }

        Data = (short[])data.Clone();
        Rows = rows;
        Columns = columns;
    }

    private QuantizedMatrix(int rows, int columns, short[] owned)
    {
        Data = owned;
        Rows = rows;
        Columns = columns;
    }

    public int Rows { get; }

    public int Columns { get; }

    /// <summary>Row-major storage (not copied: never modify).</summary>
    internal short[] Data { get; }

    public short this[int row, int column]
    {
        get
        {
            if ((uint)row >= (uint)Rows)
            {
                throw new ArgumentOutOfRangeException(nameof(row), row, $"The matrix has {Rows} rows.");
            }

            if ((uint)column >= (uint)Columns)
            {
                throw new ArgumentOutOfRangeException(nameof(column), column, $"The matrix has {Columns} columns.");
            }

            return Data[row * Columns + column];
        }
    }

    /// <summary>
    /// Rounds every value·2^<paramref name="fractionalBits"/> to the nearest integer (ties to even); throws
    /// <see cref="ArgumentOutOfRangeException"/> naming the row, column and value when one does not fit in a short.
    /// </summary>
    public static QuantizedMatrix Quantize(double[,] values, int fractionalBits)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegative(fractionalBits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fractionalBits, FixedPoint.MaxFractionalBits);
        var rows = values.GetLength(0);
        var columns = values.GetLength(1);
        var data = new short[checked(rows * columns)];
        for (var row = 0; row < rows; row++)
        {
            for (var column = 0; column < columns; column++)
            {
                var value = values[row, column];
                var scaled = Math.Round(Math.ScaleB(value, fractionalBits), MidpointRounding.ToEven);
                if (!(scaled >= short.MinValue && scaled <= short.MaxValue))
                {
                    throw new ArgumentOutOfRangeException(
                        nameof(values),
                        $"values[{row}, {column}] = {value} does not fit in a 16-bit fixed point with {fractionalBits} fractional bits "
                        + $"(range ±{Math.ScaleB(32768, -fractionalBits)}); scale the feature or use fewer fractional bits.");
                }

                data[row * columns + column] = (short)scaled;
            }
        }

        return new QuantizedMatrix(rows, columns, data);
    }
}
