using VerticalFL.Ml.Data;
using VerticalFL.Ml.Horizontal;

namespace VerticalFL.Protocol.Horizontal;

/// <summary>
/// The finished global model, complete on its own: columns (names, in order), the agreed standardisation, the
/// network's shape and its parameters. Any client scores its own rows with it without another party.
/// Serialisable: the public properties are its whole state.
/// </summary>
public sealed record HorizontalModel(string[] Columns, double[] Means, double[] Scales, int Classes, int[] Hidden, double[] Weights)
{
    public DenseNetwork Network() => new(Columns.Length, Classes, Hidden);

    /// <summary>Class probabilities of every row; the data's columns must be the model's, by name and order.</summary>
    public double[][] Predict(Dataset data)
    {
        var mismatch = ColumnAgreement.Mismatch(Columns, data.FeatureNames, "the model", "the data");
        if (mismatch is not null)
            throw new BadInputException(mismatch);
        var network = Network();
        var scaled = Standardization.Apply(data.Values, Means, Scales);
        return Enumerable.Range(0, data.Rows)
            .Select(r => network.Probabilities(Weights, scaled.AsSpan(r * Columns.Length, Columns.Length)))
            .ToArray();
    }
}

/// <summary>The column check every client's columns pass before round 1.</summary>
public static class ColumnAgreement
{
    /// <summary>Null when both lists are the same names in the same order, else a sentence naming the first difference.</summary>
    public static string? Mismatch(IReadOnlyList<string> expected, IReadOnlyList<string> actual, string expectedOwner, string actualOwner)
    {
        for (int c = 0; c < Math.Min(expected.Count, actual.Count); c++)
            if (expected[c] != actual[c])
                return actual.Contains(expected[c]) && expected.Contains(actual[c])
                    ? $"column {c + 1}: {actualOwner} has '{actual[c]}' where {expectedOwner} has '{expected[c]}' (same names, different order)"
                    : $"column {c + 1}: {actualOwner} has '{actual[c]}' where {expectedOwner} has '{expected[c]}'";
        if (expected.Count != actual.Count)
            return $"{actualOwner} has {actual.Count} feature columns, {expectedOwner} {expected.Count}" +
                (actual.Count > expected.Count ? $" (extra: '{actual[expected.Count]}')" : $" (missing: '{expected[actual.Count]}')");
        return null;
    }
}

/// <summary>(x − mean) / scale per column with the agreed statistics.</summary>
public static class Standardization
{
    public static double[] Apply(ReadOnlySpan<double> values, double[] means, double[] scales)
    {
        int columns = means.Length;
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
            result[i] = (values[i] - means[i % columns]) / scales[i % columns];
        return result;
    }

    /// <summary>Population standard deviation from summed squared deviations; a constant column gets 1.</summary>
    public static double[] Scales(double[] squaredDeviations, double rows) =>
        squaredDeviations.Select(s => Math.Sqrt(s / rows)).Select(s => s > 1e-12 ? s : 1.0).ToArray();
}
