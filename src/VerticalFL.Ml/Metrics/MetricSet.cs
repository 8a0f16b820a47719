namespace VerticalFL.Ml.Metrics;

/// <summary>AUC, KS and accuracy of one scoring, as reported per validation round.</summary>
public sealed record MetricSet(double Auc, double Ks, double Accuracy)
{
    public static MetricSet Of(ReadOnlySpan<double> probabilities, ReadOnlySpan<double> labels, double threshold = 0.5) =>
        new(BinaryMetrics.Auc(probabilities, labels), BinaryMetrics.Ks(probabilities, labels),
            BinaryMetrics.Accuracy(probabilities, labels, threshold));
}
