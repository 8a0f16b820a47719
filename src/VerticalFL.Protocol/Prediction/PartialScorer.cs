using VerticalFL.Ml.Data;
using VerticalFL.Ml.Preprocessing;

namespace VerticalFL.Protocol.Prediction;

/// <summary>x·w of one party's rows after its own scaler, checking the columns are the model's.</summary>
internal static class PartialScorer
{
    public static double[] Scores(Dataset data, IReadOnlyList<string> featureNames, StandardScaler scaler, double[] weights)
    {
        if (!data.FeatureNames.SequenceEqual(featureNames))
            throw new BadInputException(
                $"columns: the data has [{string.Join(", ", data.FeatureNames)}], the model [{string.Join(", ", featureNames)}].");
        var scaled = scaler.Transform(data.Values);
        var scores = new double[data.Rows];
        for (int r = 0; r < data.Rows; r++)
            for (int c = 0; c < data.Columns; c++)
                scores[r] += scaled[r * data.Columns + c] * weights[c];
        return scores;
    }
}
