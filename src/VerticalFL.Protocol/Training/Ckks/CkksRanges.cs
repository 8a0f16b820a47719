using VerticalFL.Ml.Data;

namespace VerticalFL.Protocol.Training;

/// <summary>
/// The value ranges the CKKS setting holds without wrapping the 120-bit data level: scores |u| ≤ 1024 (refused at
/// run time as divergence), and per column, before training, coefficient 0 of Σ 4d·x = 2^78·B·|4d|·|x| below 2^116.
/// </summary>
internal static class CkksRanges
{
    /// <summary>Returns <paramref name="values"/> or throws when one exceeds <paramref name="limit"/>.</summary>
    public static double[] Scores(double[] values, double limit, string what)
    {
        foreach (double v in values)
            if (!(Math.Abs(v) <= limit))
                throw new InvalidOperationException($"Training diverged: {what} reached {v:G4}, beyond the CKKS range ±{limit}; lower learning_rate.");
        return values;
    }

    /// <summary>
    /// "" or why a column's values could overflow coefficient 0 in a batch of <paramref name="batchRows"/> rows with
    /// <paramref name="parties"/> data parties' scores (|4d| ≤ parties·1024 + 2), naming the column.
    /// </summary>
    public static string ColumnRefusal(PartyFeatures features, IReadOnlyList<string> names, int batchRows, int parties)
    {
        double residualBound = parties * CkksDefaults.ScoreLimit + 2;
        for (int c = 0; c < features.Columns; c++)
        {
            double largest = features.ColumnMaxAbs(c);
            double bits = Math.Log2(CkksDefaults.SlotSumUnit * batchRows * residualBound * Math.Max(largest, 1e-300));
            if (bits >= CkksDefaults.Coefficient0Bits)
                return $"encryption ckks: column '{(c < names.Count ? names[c] : "intercept")}' (|x| up to {largest:G4}) in batches of {batchRows:N0} rows " +
                    $"could reach 2^{bits:F1} in coefficient 0, over the 2^{CkksDefaults.Coefficient0Bits} the 120-bit modulus allows; use smaller batches.";
        }
        return "";
    }
}
