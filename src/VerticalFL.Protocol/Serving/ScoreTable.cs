using System.Collections.Frozen;
using VerticalFL.Ml.Data;
using VerticalFL.Ml.Preprocessing;
using VerticalFL.Protocol.Prediction;

namespace VerticalFL.Protocol.Serving;

/// <summary>
/// One party's partial score x·w of every row it holds, by id, for one model version. A party's part of the
/// score depends only on its own row and weights, so it is computed once when the rows are (re)loaded and a
/// request is a dictionary look-up. Immutable: a reload builds a new table and swaps it in.
/// </summary>
public sealed class ScoreTable
{
    private readonly FrozenDictionary<string, double> _scores;

    private ScoreTable(FrozenDictionary<string, double> scores) => _scores = scores;

    public int Count => _scores.Count;

    /// <summary>Scores every row of <paramref name="data"/> with the same arithmetic as batch prediction.</summary>
    /// <exception cref="BadInputException">The columns are not the model's, or an id appears twice (the row is named, never the id).</exception>
    public static ScoreTable Build(Dataset data, IReadOnlyList<string> featureNames, StandardScaler scaler, double[] weights)
    {
        var scores = PartialScorer.Scores(data, featureNames, scaler, weights);
        var byId = new Dictionary<string, double>(data.Rows, StringComparer.Ordinal);
        for (int r = 0; r < data.Rows; r++)
            if (!byId.TryAdd(data.Ids[r], scores[r]))
                throw new BadInputException($"data row {r + 1}: an id that an earlier row already has (ids must be unique to serve them).");
        return new ScoreTable(byId.ToFrozenDictionary(StringComparer.Ordinal));
    }

    public bool TryGet(string id, out double score) => _scores.TryGetValue(id, out score);

    /// <summary>x·w of one row given by feature name (e.g. the guest's features brought in a request).</summary>
    /// <exception cref="BadInputException">A model feature is missing or a name is not the model's.</exception>
    public static double ScoreRow(IReadOnlyDictionary<string, double> values, IReadOnlyList<string> featureNames, StandardScaler scaler,
        double[] weights)
    {
        var unknown = values.Keys.Where(k => !featureNames.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
            throw new BadInputException($"features: [{string.Join(", ", unknown)}] are not features of the model.");
        var row = new double[featureNames.Count];
        for (int c = 0; c < row.Length; c++)
            row[c] = values.TryGetValue(featureNames[c], out double v)
                ? v
                : throw new BadInputException($"features: '{featureNames[c]}' is missing (the model needs all of [{string.Join(", ", featureNames)}]).");
        var data = new Dataset(["request"], featureNames, row);
        return PartialScorer.Scores(data, featureNames, scaler, weights)[0];
    }
}
