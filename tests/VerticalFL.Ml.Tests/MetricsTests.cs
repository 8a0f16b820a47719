using VerticalFL.Ml.Metrics;

namespace VerticalFL.Ml.Tests;

public class MetricsTests
{
    // Hand-computed: of the 4 (positive, negative) pairs, 3 rank the positive higher.
    [Fact]
    public void Auc_FourRows_MatchesPairCount()
    {
        double[] scores = [0.1, 0.4, 0.35, 0.8], labels = [0, 0, 1, 1];
        Assert.Equal(0.75, BinaryMetrics.Auc(scores, labels), 12);
    }

    [Fact]
    public void Auc_TiedScores_CountHalf()
    {
        double[] scores = [0.5, 0.5, 0.9], labels = [0, 1, 1];
        // pairs (0.5+, 0.5-) = ½, (0.9+, 0.5-) = 1 → 1.5 / 2
        Assert.Equal(0.75, BinaryMetrics.Auc(scores, labels), 12);
    }

    [Fact]
    public void Ks_FourRows_MatchesHandComputedMaximum()
    {
        // Thresholds from the top: (TPR, FPR) = (.5, 0), (.5, .5), (1, .5), (1, 1) → max gap .5
        double[] scores = [0.1, 0.4, 0.35, 0.8], labels = [0, 0, 1, 1];
        Assert.Equal(0.5, BinaryMetrics.Ks(scores, labels), 12);
    }

    [Fact]
    public void Accuracy_ThresholdAtHalf_CountsCorrectRows()
    {
        double[] p = [0.2, 0.6, 0.5, 0.9], labels = [0, 0, 1, 1];
        Assert.Equal(0.75, BinaryMetrics.Accuracy(p, labels), 12);
    }

    [Fact]
    public void Auc_OneClassOnly_Throws()
    {
        double[] scores = [0.1, 0.2], labels = [1, 1];
        Assert.Throws<ArgumentException>(() => BinaryMetrics.Auc(scores, labels));
    }
}
