using VerticalFL.Crypto.Encoding;
using VerticalFL.Ml.Data;
using VerticalFL.Ml.Preprocessing;
using VerticalFL.Ml.Training;

namespace VerticalFL.Protocol.Training;

/// <summary>
/// One party's features as the protocol uses them: standardised with the party's own scaler, clipped
/// to the 16-bit fixed-point range and quantised. Plaintext scores use the same dequantised values
/// the encrypted gradient uses, so both sides of the protocol see one consistent dataset.
/// An optional constant column of ones carries the intercept.
/// </summary>
internal sealed class PartyFeatures
{
    private readonly QuantizedMatrix _quantized;
    private readonly double[] _values;

    public PartyFeatures(Dataset data, StandardScaler scaler, int featureBits, bool interceptColumn)
    {
        if (scaler.Columns != data.Columns)
            throw new ArgumentException($"The scaler has {scaler.Columns} columns, the data {data.Columns}.", nameof(scaler));
        Rows = data.Rows;
        Columns = data.Columns + (interceptColumn ? 1 : 0);
        double limit = short.MaxValue / Math.Pow(2, featureBits);
        var scaled = scaler.Transform(data.Values);
        var grid = new double[Rows, Columns];
        for (int r = 0; r < Rows; r++)
        {
            for (int c = 0; c < data.Columns; c++)
                grid[r, c] = Math.Clamp(scaled[r * data.Columns + c], -limit, limit);
            if (interceptColumn)
                grid[r, Columns - 1] = 1;
        }
        _quantized = QuantizedMatrix.Quantize(grid, featureBits);
        _values = new double[Rows * Columns];
        double unit = Math.Pow(2, -featureBits);
        for (int r = 0; r < Rows; r++)
            for (int c = 0; c < Columns; c++)
                _values[r * Columns + c] = _quantized[r, c] * unit;
    }

    /// <summary>
    /// A party's training features with its own scaler fitted on them (or the identity when the job does
    /// not standardise), and its validation features under the same scaler.
    /// </summary>
    public static (StandardScaler Scaler, PartyFeatures Train, PartyFeatures? Validation) Prepare(
        Dataset train, Dataset? validation, HeteroLrParameters parameters, bool interceptColumn)
    {
        var scaler = parameters.Standardize ? StandardScaler.Fit(train.Values, train.Columns) : StandardScaler.Identity(train.Columns);
        var features = new PartyFeatures(train, scaler, parameters.FeatureBits, interceptColumn);
        var validationFeatures = validation is null ? null : new PartyFeatures(validation, scaler, parameters.FeatureBits, interceptColumn);
        return (scaler, features, validationFeatures);
    }

    public int Rows { get; }
    /// <summary>Feature columns plus the intercept column if any.</summary>
    public int Columns { get; }

    /// <summary>The quantised rows of one batch, in batch order.</summary>
    public QuantizedMatrix Batch(IReadOnlyList<int> rows)
    {
        var data = new short[rows.Count * Columns];
        for (int i = 0; i < rows.Count; i++)
            for (int c = 0; c < Columns; c++)
                data[i * Columns + c] = _quantized[rows[i], c];
        return new QuantizedMatrix(data, rows.Count, Columns);
    }

    /// <summary>x·w for the given rows, from the dequantised features.</summary>
    public double[] Scores(IReadOnlyList<int> rows, ReadOnlySpan<double> weights) => TaylorLogistic.Scores(_values, Columns, rows, weights);

    /// <summary>max |x| of one column over the training rows (dequantised), for the CKKS range check.</summary>
    public double ColumnMaxAbs(int column)
    {
        double largest = 0;
        for (int r = 0; r < Rows; r++)
            largest = Math.Max(largest, Math.Abs(_values[r * Columns + column]));
        return largest;
    }

    public int[] AllRows => Enumerable.Range(0, Rows).ToArray();
}
