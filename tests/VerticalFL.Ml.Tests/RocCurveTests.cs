using VerticalFL.Ml.Metrics;

namespace VerticalFL.Ml.Tests;

public class RocCurveTests
{
    [Fact]
    public void Of_FourRows_OnePointPerDistinctScoreFromOriginToOne()
    {
        double[] scores = [0.1, 0.4, 0.35, 0.8], labels = [0, 0, 1, 1];

        var points = RocCurve.Of(scores, labels);

        // Top score 0.8 (positive), then 0.4 (negative), 0.35 (positive), 0.1 (negative).
        Assert.Equal([new(0, 0, 0), new(0.25, 0, 0.5), new(0.5, 0.5, 0.5), new(0.75, 0.5, 1), new(1, 1, 1)], points);
    }

    [Fact]
    public void Of_ManyRows_AreaAndLargestGapMatchAucAndKs()
    {
        var random = new Random(3);
        var labels = Enumerable.Range(0, 5000).Select(_ => random.NextDouble() < 0.3 ? 1.0 : 0.0).ToArray();
        var scores = labels.Select(l => Math.Round(l * 0.8 + random.NextDouble(), 3)).ToArray();   // ties on purpose

        var full = RocCurve.Of(scores, labels, maxPoints: int.MaxValue);
        var thinned = RocCurve.Of(scores, labels, maxPoints: 201);

        double area = full.Zip(full.Skip(1)).Sum(p => (p.Second.FalsePositiveRate - p.First.FalsePositiveRate) * (p.First.TruePositiveRate + p.Second.TruePositiveRate) / 2);
        Assert.Equal(BinaryMetrics.Auc(scores, labels), area, 9);
        Assert.Equal(BinaryMetrics.Ks(scores, labels), full.Max(p => p.TruePositiveRate - p.FalsePositiveRate), 9);
        Assert.Equal(201, thinned.Count);
        Assert.Equal(full[0], thinned[0]);
        Assert.Equal(full[^1], thinned[^1]);
    }

    [Fact]
    public void Of_OneClass_IsRefused() =>
        Assert.Throws<ArgumentException>(() => RocCurve.Of([0.2, 0.3], [1, 1]));
}
