using System.Globalization;
using System.Text.Json;
using VerticalFL.Ml.Metrics;
using VerticalFL.Party.Hosting;
using VerticalFL.Storage;

namespace VerticalFL.Party.Jobs;

/// <summary>Saves what the board shows of a job's results in this party's store (see <see cref="IJobResultStore"/>).</summary>
public static class JobResults
{
    public static Task SaveIntersectionAsync(PartyNode node, string jobId, long rows, CancellationToken ct) =>
        node.Store.Results.SaveAsync(jobId, JobResultNames.Intersection, rows.ToString(CultureInfo.InvariantCulture), ct);

    /// <summary>The final model's ROC points on the guest's evaluation rows, with its AUC and KS (guest only: it holds the labels).</summary>
    public static Task SaveRocAsync(PartyNode node, string jobId, double[] scores, double[] labels, MetricSet metrics, CancellationToken ct)
    {
        var points = RocCurve.Of(scores, labels);
        var json = JsonSerializer.Serialize(new
        {
            auc = metrics.Auc,
            ks = metrics.Ks,
            points = points.Select(p => new[] { Math.Round(p.Share, 6), Math.Round(p.FalsePositiveRate, 6), Math.Round(p.TruePositiveRate, 6) }),
        });
        return node.Store.Results.SaveAsync(jobId, JobResultNames.Roc, json, ct);
    }
}
