namespace VerticalFL.Ml.Preprocessing;

/// <summary>
/// Per-column standardisation (x − mean) / std, fitted on one party's own training features.
/// A constant column gets scale 1 so it maps to 0 instead of dividing by zero.
/// Serialisable: the public properties are its whole state.
/// </summary>
public sealed record StandardScaler(double[] Means, double[] Scales)
{
    public int Columns => Means.Length;

    /// <summary>A scaler that leaves values as they are.</summary>
    public static StandardScaler Identity(int columns) => new(new double[columns], Enumerable.Repeat(1.0, columns).ToArray());

    public static StandardScaler Fit(ReadOnlySpan<double> values, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if (values.Length == 0 || values.Length % columns != 0)
            throw new ArgumentException($"values length {values.Length} is not a positive multiple of {columns} columns.", nameof(values));
        int rows = values.Length / columns;
        var means = new double[columns];
        var squares = new double[columns];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                means[c] += values[r * columns + c];
        for (int c = 0; c < columns; c++)
            means[c] /= rows;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
            {
                double d = values[r * columns + c] - means[c];
                squares[c] += d * d;
            }
        var scales = squares.Select(s => Math.Sqrt(s / rows)).Select(s => s > 1e-12 ? s : 1.0).ToArray();
        return new StandardScaler(means, scales);
    }

    public double[] Transform(ReadOnlySpan<double> values)
    {
        if (values.Length % Columns != 0)
            throw new ArgumentException($"values length {values.Length} is not a multiple of the scaler's {Columns} columns.", nameof(values));
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            int c = i % Columns;
            result[i] = (values[i] - Means[c]) / Scales[c];
        }
        return result;
    }
}
