using VerticalFL.Ml.Training;

namespace VerticalFL.Ml.Data;

/// <summary>
/// Vertically split data from a known logistic model, for benchmarks and demos: every party's
/// columns carry signal, labels are drawn from the model's probabilities. Deterministic per seed.
/// </summary>
public static class SyntheticData
{
    /// <returns>A labelled guest table and one table per host, the same ids in the same order.</returns>
    public static (Dataset Guest, Dataset[] Hosts) Generate(int rows, int guestColumns, IReadOnlyList<int> hostColumns, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(guestColumns);
        var widths = new[] { guestColumns }.Concat(hostColumns).ToArray();
        int total = widths.Sum();
        var weights = new DeterministicRandom(seed, 1);
        var truth = Enumerable.Range(0, total).Select(_ => (weights.NextDouble() * 2 - 1) * 3 / Math.Sqrt(total)).ToArray();
        var parts = widths.Select(w => new double[rows * w]).ToArray();
        var labels = new double[rows];
        var random = new DeterministicRandom(seed, 2);
        for (int r = 0; r < rows; r++)
        {
            double score = 0;
            for (int p = 0, c = 0; p < widths.Length; p++)
                for (int j = 0; j < widths[p]; j++, c++)
                {
                    double x = random.NextDouble() * 2 - 1;
                    parts[p][r * widths[p] + j] = x;
                    score += truth[c] * x;
                }
            labels[r] = random.NextDouble() < TaylorLogistic.Sigmoid(score) ? 1 : 0;
        }
        var ids = Enumerable.Range(0, rows).Select(r => $"u{r:D7}").ToArray();
        Dataset Part(int p, string prefix, double[]? y) =>
            new(ids, Enumerable.Range(0, widths[p]).Select(j => $"{prefix}{j}").ToArray(), parts[p], y);
        return (Part(0, "g", labels), Enumerable.Range(1, widths.Length - 1).Select(p => Part(p, $"h{p}_", null)).ToArray());
    }
}
