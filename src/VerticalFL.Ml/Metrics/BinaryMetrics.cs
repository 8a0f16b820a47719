namespace VerticalFL.Ml.Metrics;

/// <summary>Quality of scores against {0, 1} labels: ROC AUC, Kolmogorov–Smirnov statistic, accuracy.</summary>
public static class BinaryMetrics
{
    /// <summary>
    /// Area under the ROC curve as the Mann–Whitney statistic: the probability that a random positive
    /// scores above a random negative, ties counting one half (average ranks).
    /// </summary>
    public static double Auc(ReadOnlySpan<double> scores, ReadOnlySpan<double> labels)
    {
        Check(scores, labels);
        var order = SortedIndices(scores);
        double positiveRankSum = 0;
        long positives = 0;
        for (int start = 0; start < order.Length;)
        {
            int end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]])
                end++;
            double averageRank = (start + end) / 2.0 + 1;
            for (int k = start; k <= end; k++)
                if (labels[order[k]] > 0.5)
                {
                    positiveRankSum += averageRank;
                    positives++;
                }
            start = end + 1;
        }
        long negatives = order.Length - positives;
        if (positives == 0 || negatives == 0)
            throw new ArgumentException("AUC needs both positive and negative labels.", nameof(labels));
        return (positiveRankSum - positives * (positives + 1) / 2.0) / (positives * (double)negatives);
    }

    /// <summary>max over thresholds of |TPR − FPR|, thresholds taken between distinct scores.</summary>
    public static double Ks(ReadOnlySpan<double> scores, ReadOnlySpan<double> labels)
    {
        Check(scores, labels);
        var order = SortedIndices(scores);
        double positives = 0;
        foreach (double l in labels)
            positives += l > 0.5 ? 1 : 0;
        double negatives = labels.Length - positives;
        if (positives == 0 || negatives == 0)
            throw new ArgumentException("KS needs both positive and negative labels.", nameof(labels));
        double truePositives = 0, falsePositives = 0, best = 0;
        for (int k = order.Length - 1; k >= 0; k--)
        {
            if (labels[order[k]] > 0.5) truePositives++; else falsePositives++;
            if (k == 0 || scores[order[k - 1]] != scores[order[k]])
                best = Math.Max(best, Math.Abs(truePositives / positives - falsePositives / negatives));
        }
        return best;
    }

    /// <summary>Share of rows where (probability ≥ threshold) equals the label.</summary>
    public static double Accuracy(ReadOnlySpan<double> probabilities, ReadOnlySpan<double> labels, double threshold = 0.5)
    {
        Check(probabilities, labels);
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
            correct += (probabilities[i] >= threshold) == (labels[i] > 0.5) ? 1 : 0;
        return correct / (double)labels.Length;
    }

    private static void Check(ReadOnlySpan<double> scores, ReadOnlySpan<double> labels)
    {
        if (scores.Length != labels.Length)
            throw new ArgumentException($"{scores.Length} scores for {labels.Length} labels.", nameof(labels));
        if (scores.Length == 0)
            throw new ArgumentException("No rows to score.", nameof(scores));
    }

    private static int[] SortedIndices(ReadOnlySpan<double> scores)
    {
        var keys = scores.ToArray();
        var order = Enumerable.Range(0, keys.Length).ToArray();
        Array.Sort(keys, order);
        return order;
    }
}
