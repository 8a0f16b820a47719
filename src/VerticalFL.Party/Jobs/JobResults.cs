using System.Globalization;
using System.Text.Json;
using VerticalFL.Ml.Metrics;
using VerticalFL.Party.Hosting;
using VerticalFL.Protocol.Training;
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

    /// <summary>The job's encryption scheme and its parameters, as every training party runs them (public to all of them).</summary>
    public static Task SaveEncryptionAsync(PartyNode node, string jobId, HeteroLrParameters parameters, CancellationToken ct) =>
        node.Store.Results.SaveAsync(jobId, JobResultNames.Encryption, JsonSerializer.Serialize(Describe(parameters)), ct);

    /// <summary>Name → value, in the order the board shows them.</summary>
    internal static Dictionary<string, string> Describe(HeteroLrParameters p)
    {
        var d = new Dictionary<string, string>();
        if (p.Encryption == EncryptionScheme.Ckks)
        {
            d["scheme"] = "CKKS (RNS, SEAL-compatible)";
            d["poly_modulus_degree"] = CkksDefaults.PolyModulusDegree.ToString(CultureInfo.InvariantCulture);
            d["coeff_modulus_bits"] = string.Join(",", CkksDefaults.PrimeBits);
            d["scale_bits"] = $"data 2^{CkksDefaults.DataScaleBits}, features 2^{CkksDefaults.FeatureScaleBits}";
            d["max_releases"] = p.CkksMaxReleases.ToString(CultureInfo.InvariantCulture);
            d["noise_bits"] = p.CkksNoiseBits.ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            d["scheme"] = "Paillier";
            d["key_bits"] = p.KeyBits.ToString(CultureInfo.InvariantCulture);
            d["encryption_mode"] = JsonNamingPolicy.SnakeCaseLower.ConvertName(p.EncryptionMode.ToString());
            d["value_bits"] = p.ValueBits.ToString(CultureInfo.InvariantCulture);
        }
        d["gradient_mode"] = JsonNamingPolicy.SnakeCaseLower.ConvertName(p.GradientMode.ToString());
        d["feature_bits"] = p.FeatureBits.ToString(CultureInfo.InvariantCulture);
        if (p.Dp is { } dp)
            d["label_dp"] = $"epsilon {dp.Epsilon.ToString(CultureInfo.InvariantCulture)}, delta {dp.Delta.ToString(CultureInfo.InvariantCulture)}";
        return d;
    }
}
