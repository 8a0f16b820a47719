using VerticalFL.Ml.Data;
using VerticalFL.Ml.Metrics;
using VerticalFL.Ml.Preprocessing;
using VerticalFL.Ml.Training;
using VerticalFL.Protocol.Training;

namespace VerticalFL.Cli.Local;

/// <summary>
/// The yardstick for the demo: the same logistic regression trained in plaintext on the joined data (which
/// only a demo that generated every party's file may do), each party's columns standardised on their own
/// as the federated parties do.
/// </summary>
internal static class CentralisedBaseline
{
    public static MetricSet Train(string guestPath, IReadOnlyList<string> hostPaths, string idColumn, string labelColumn,
        HeteroLrParameters parameters)
    {
        var guest = CsvDatasetReader.Read(guestPath, new CsvReadOptions { IdColumn = idColumn, LabelColumn = labelColumn }).Dataset;
        var hosts = hostPaths.Select(p => CsvDatasetReader.Read(p, new CsvReadOptions { IdColumn = idColumn }).Dataset).ToList();
        var shared = hosts.Aggregate(guest.Ids.ToHashSet(StringComparer.Ordinal), (set, h) => { set.IntersectWith(h.Ids); return set; })
            .Order(StringComparer.Ordinal).ToList();
        var parts = hosts.Prepend(guest).Select(d => Standardised(Rows(d, shared))).ToList();
        var joined = Dataset.JoinColumns(parts);
        var model = ReferenceTrainer.Train(joined.Values, joined.Labels!, parts.Select(p => p.Columns).ToList(), parameters);
        return MetricSet.Of(model.PredictProbabilities(joined.Values), joined.Labels!);
    }

    private static Dataset Rows(Dataset data, IReadOnlyList<string> ids)
    {
        var index = data.Ids.Select((id, row) => (id, row)).ToDictionary(p => p.id, p => p.row, StringComparer.Ordinal);
        var values = new double[ids.Count * data.Columns];
        var labels = data.Labels is null ? null : new double[ids.Count];
        for (int r = 0; r < ids.Count; r++)
        {
            int source = index[ids[r]];
            data.Row(source).CopyTo(values.AsSpan(r * data.Columns));
            if (labels is not null) labels[r] = data.Labels![source];
        }
        return new Dataset(ids, data.FeatureNames, values, labels);
    }

    private static Dataset Standardised(Dataset data) =>
        data.WithValues(StandardScaler.Fit(data.Values, data.Columns).Transform(data.Values));
}
