using Google.Protobuf;
using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.Masking;
using VerticalFL.Ml.Data;
using VerticalFL.Ml.Preprocessing;
using VerticalFL.Protocol.Serving;

namespace VerticalFL.Protocol.Tests.Serving;

/// <summary>
/// Online prediction with several hosts: each host's reply alone must not give the guest that host's partial scores,
/// while the sum over hosts is exact; a mask is never reused; an id unknown at one host hides the others' sum.
/// </summary>
public sealed class ServedPartMaskingTests : IDisposable
{
    private static readonly string[] Hosts = ["h0", "h1", "h2"];
    private const int Rows = 300;
    private readonly string _directory = Directory.CreateTempSubdirectory("vfl-served-").FullName;
    private readonly string[] _ids = [.. Enumerable.Range(0, Rows).Select(i => $"c{i}")];

    [Fact]
    [Trait("Category", "Attack")]
    public void ThreeHosts_EachReplyLooksUniform_TheSumIsExact()
    {
        var (parts, truth) = ArmedHosts();
        var batch = Batch(1, _ids);
        var replies = parts.Select(p => p.Answer(batch)).ToArray();

        var sums = HostScoreSum.Combine(Hosts, replies, Rows);
        for (int i = 0; i < Rows; i++)
            Assert.Equal(truth.Sum(t => t[i]), sums[i].Sum, 1e-8);
        for (int k = 0; k < Hosts.Length; k++)
        {
            Assert.Empty(replies[k].Scores);   // never the plain scores
            var seen = replies[k].Masked.Select(w => (double)(long)w).ToArray();
            Assert.InRange(Math.Abs(Correlation(seen, truth[k])), 0, 0.25);
            Assert.DoesNotContain(replies[k].Masked, w => Math.Abs((long)w / 4294967296.0 - truth[k][0]) < 1e-6);
        }
    }

    [Fact]
    [Trait("Category", "Attack")]
    public void SameRequestIdTwice_IsRefused_SoNoMaskIsReusedOnOtherIds()
    {
        var (parts, _) = ArmedHosts();
        Assert.Equal("", parts[0].Answer(Batch(7, _ids[..10])).Error);
        var again = parts[0].Answer(Batch(7, _ids[10..20]));
        Assert.Contains("answered before", again.Error);
        Assert.Empty(again.Masked);
    }

    [Fact]
    [Trait("Category", "Attack")]
    public void IdUnknownAtOneHost_IsReportedThere_AndTheWordsSumToNoScore()
    {
        var (parts, truth) = ArmedHosts(unknownAtH1: _ids[0]);
        var batch = Batch(3, _ids[..5]);
        var replies = parts.Select(p => p.Answer(batch)).ToArray();
        var sums = HostScoreSum.Combine(Hosts, replies, 5);
        Assert.Equal(["h1"], sums[0].UnknownAt!);
        // The guest could add the words anyway: h1's fresh random word hides h0 + h2's scores of that id.
        ulong raw = 0;
        foreach (var reply in replies)
            raw = unchecked(raw + reply.Masked[0]);
        Assert.True(Math.Abs((long)raw / 4294967296.0 - (truth[0][0] + truth[2][0])) > 1, "the sum of the others' scores leaked");
        Assert.Equal(truth.Sum(t => t[1]), sums[1].Sum, 1e-8);
    }

    [Fact]
    public void MaskKeyRestoredFromItsExport_AnswersWithTheSameMasks()
    {
        var (parts, _) = ArmedHosts();
        using var exported = new PairwiseMask();
        var original = Part("h0", exported, unknown: null);
        using var restoredKey = PairwiseMask.Import(exported.ExportPrivateKey());
        var restored = Part("h0", restoredKey, unknown: null);
        var keys = parts.ToDictionary(p => p.Self, p => p.MaskPublicKey!);
        keys["h0"] = exported.PublicKey;
        original.Arm(keys);
        restored.Arm(keys);
        var batch = Batch(9, _ids[..8]);
        Assert.Equal(original.Answer(batch).Masked, restored.Answer(batch).Masked);
    }

    [Fact]
    [Trait("Category", "Attack")]
    public void Arm_OwnKeySubstitutedOrHostMissing_IsRefused()
    {
        var (parts, _) = ArmedHosts();
        using var mallory = new PairwiseMask();
        using var fresh = new PairwiseMask();
        var part = Part("h0", fresh, unknown: null);
        var swapped = parts.ToDictionary(p => p.Self, p => p.MaskPublicKey!);
        swapped["h0"] = mallory.PublicKey;
        Assert.Throws<InvalidOperationException>(() => part.Arm(swapped));
        var missing = new Dictionary<string, byte[]> { ["h0"] = fresh.PublicKey, ["h1"] = parts[1].MaskPublicKey! };
        Assert.Throws<InvalidOperationException>(() => part.Arm(missing));
        Assert.False(part.IsArmed);
        Assert.Contains("not been armed", part.Answer(Batch(1, _ids[..2])).Error);
    }

    private ScoreBatch Batch(ulong requestId, IEnumerable<string> ids) => new()
    {
        RequestId = requestId, Name = "credit-risk", ModelJobId = "job-1", Ids = { ids }, Session = ByteString.CopyFrom(new byte[16]),
    };

    /// <summary>Three armed hosts and each host's true partial scores of every id.</summary>
    private (ServedPart[] Parts, double[][] Truth) ArmedHosts(string? unknownAtH1 = null)
    {
        var parts = Hosts.Select((h, k) => Part(h, new PairwiseMask(), unknown: k == 1 ? unknownAtH1 : null)).ToArray();
        var keys = parts.ToDictionary(p => p.Self, p => p.MaskPublicKey!);
        foreach (var part in parts)
            part.Arm(keys);
        var truth = Hosts.Select((_, k) => _ids.Select(id => Score(k, id)).ToArray()).ToArray();
        return (parts, truth);
    }

    private ServedPart Part(string host, PairwiseMask mask, string? unknown)
    {
        int k = Array.IndexOf(Hosts, host);
        string path = Path.Combine(_directory, $"{host}-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, ["id,a,b", .. _ids.Where(id => id != unknown).Select(id => $"{id},{Feature(k, id, 0)},{Feature(k, id, 1)}")]);
        var table = new ReloadingTable(path, p => ScoreTable.Build(CsvDatasetReader.Read(p).Dataset, ["a", "b"], StandardScaler.Identity(2), Weights(k)));
        return new ServedPart(host, "credit-risk", "job-1", Hosts, table, mask);
    }

    private static double[] Weights(int k) => [0.5 - k, 0.25 * k + 0.1];

    private static double Feature(int k, string id, int column) => ((id.GetHashCode(StringComparison.Ordinal) ^ (k * 31 + column)) % 1000) / 100.0;

    private static double Score(int k, string id) => Feature(k, id, 0) * Weights(k)[0] + Feature(k, id, 1) * Weights(k)[1];

    private static double Correlation(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double sxy = x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my));
        return sxy / Math.Sqrt(x.Sum(v => (v - mx) * (v - mx)) * y.Sum(v => (v - my) * (v - my)));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
