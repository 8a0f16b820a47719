namespace VerticalFL.Ml.Metrics;

/// <summary>One point of a ROC sweep: the share of rows scored at or above a threshold, and the FPR and TPR there.</summary>
public readonly record struct RocPoint(double Share, double FalsePositiveRate, double TruePositiveRate);

/// <summary>
/// The ROC curve of scores against 0/1 labels, thinned to at most a given number of points so it can be stored and
/// drawn cheaply. The same points give the KS curve: TPR and FPR against the share of rows taken.
/// </summary>
public static class RocCurve
{
    /// <summary>Points from (0, 0, 0) to (1, 1, 1), one per distinct score, evenly thinned to at most <paramref name="maxPoints"/>.</summary>
    /// <exception cref="ArgumentException">Lengths differ, or the labels are all of one class.</exception>
    public static IReadOnlyList<RocPoint> Of(ReadOnlySpan<double> scores, ReadOnlySpan<double> labels, int maxPoints = 201)
    {
        if (scores.Length != labels.Length)
            throw new ArgumentException($"{scores.Length} scores but {labels.Length} labels.", nameof(labels));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 2);
        double positives = 0;
        foreach (double l in labels) positives += l > 0.5 ? 1 : 0;
        double negatives = labels.Length - positives;
        if (positives == 0 || negatives == 0)
            throw new ArgumentException("A ROC curve needs both positive and negative labels.", nameof(labels));

        var order = new int[scores.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var keys = scores.ToArray();
        Array.Sort(keys, order);   // ascending; walked from the top score down
        var sweep = new List<RocPoint>(order.Length + 1) { new(0, 0, 0) };
        double tp = 0, fp = 0;
        for (int k = order.Length - 1; k >= 0; k--)
        {
            if (labels[order[k]] > 0.5) tp++; else fp++;
            // Tied scores move together: a threshold cannot split them.
            if (k == 0 || keys[k - 1] != keys[k])
                sweep.Add(new RocPoint((order.Length - k) / (double)order.Length, fp / negatives, tp / positives));
        }
        return Thin(sweep, maxPoints);
    }

    /// <summary>Keeps the first and last point and evenly spaced ones between.</summary>
    private static List<RocPoint> Thin(List<RocPoint> points, int maxPoints)
    {
        if (points.Count <= maxPoints) return points;
        var kept = new List<RocPoint>(maxPoints);
        for (int i = 0; i < maxPoints; i++)
            kept.Add(points[(int)Math.Round(i * (points.Count - 1) / (double)(maxPoints - 1))]);
        return kept;
    }
}
