using VerticalFL.Contracts.V1;
using VerticalFL.Ml.Horizontal;

namespace VerticalFL.Protocol.Horizontal;

/// <summary>Metrics of a model over every client's validation rows, pooled by the arbiter.</summary>
public sealed record PooledMetrics(long Rows, double Loss, double Accuracy, double? Auc)
{
    public static readonly PooledMetrics None = new(0, double.NaN, double.NaN, null);
}

/// <summary>
/// Client side: a model's loss, accuracy and (binary) score histograms over the client's validation rows.
/// Arbiter side: pools them. The pooled AUC comes from the summed histograms (ties within a bin count one half),
/// so it is the AUC over all clients' rows to within the bin width, without any client sending a score.
/// </summary>
public static class Validation
{
    public static ValidationStats Evaluate(DenseNetwork network, ReadOnlySpan<double> weights, ReadOnlySpan<double> features,
        ReadOnlySpan<double> labels, ReadOnlySpan<int> rows, int bins)
    {
        var stats = new ValidationStats { Rows = rows.Length };
        var positive = new long[network.Classes == 2 ? bins : 0];
        var negative = new long[positive.Length];
        foreach (int row in rows)
        {
            var p = network.Probabilities(weights, features.Slice(row * network.Inputs, network.Inputs));
            int label = (int)labels[row];
            stats.LossSum += DenseNetwork.CrossEntropy(p, label);
            if (ArgMax(p) == label)
                stats.Correct++;
            if (positive.Length > 0)
            {
                int bin = Math.Min(bins - 1, (int)(p[1] * bins));
                (label == 1 ? positive : negative)[bin]++;
            }
        }
        stats.PositiveBins.AddRange(positive);
        stats.NegativeBins.AddRange(negative);
        return stats;
    }

    public static PooledMetrics Pool(IEnumerable<ValidationStats> parts)
    {
        long rows = 0, correct = 0;
        double loss = 0;
        long[]? positive = null, negative = null;
        foreach (var s in parts)
        {
            rows += s.Rows;
            correct += s.Correct;
            loss += s.LossSum;
            if (s.PositiveBins.Count == 0)
                continue;
            positive ??= new long[s.PositiveBins.Count];
            negative ??= new long[s.PositiveBins.Count];
            if (s.PositiveBins.Count != positive.Length || s.NegativeBins.Count != positive.Length)
                throw new InvalidDataException($"validation histograms of {s.PositiveBins.Count}/{s.NegativeBins.Count} bins, expected {positive.Length}.");
            for (int i = 0; i < positive.Length; i++)
            {
                positive[i] += s.PositiveBins[i];
                negative[i] += s.NegativeBins[i];
            }
        }
        if (rows == 0)
            return PooledMetrics.None;
        return new PooledMetrics(rows, loss / rows, (double)correct / rows, positive is null ? null : HistogramAuc(positive, negative!));
    }

    /// <summary>P(score of a positive > score of a negative) + ½ P(same bin).</summary>
    public static double? HistogramAuc(long[] positive, long[] negative)
    {
        double totalPositive = positive.Sum(), totalNegative = negative.Sum();
        if (totalPositive == 0 || totalNegative == 0)
            return null;
        double wins = 0, negativesBelow = 0;
        for (int i = 0; i < positive.Length; i++)
        {
            wins += positive[i] * (negativesBelow + 0.5 * negative[i]);
            negativesBelow += negative[i];
        }
        return wins / (totalPositive * totalNegative);
    }

    private static int ArgMax(double[] p)
    {
        int best = 0;
        for (int k = 1; k < p.Length; k++)
            if (p[k] > p[best])
                best = k;
        return best;
    }
}
