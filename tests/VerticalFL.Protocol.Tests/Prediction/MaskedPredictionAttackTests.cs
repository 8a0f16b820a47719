using Google.Protobuf;
using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.Masking;
using VerticalFL.Ml.Data;
using VerticalFL.Ml.Preprocessing;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Models;
using VerticalFL.Protocol.Prediction;

namespace VerticalFL.Protocol.Tests.Prediction;

/// <summary>
/// Issue 10 finding 2: with several hosts, federated prediction must give the guest the sum of their partial
/// scores (all the model needs), not each host's partial score x_h·w_h, which is a linear view of that host's
/// private features for any id the guest names.
/// </summary>
public sealed class MaskedPredictionAttackTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly string[] Hosts = ["h0", "h1", "h2"];
    private const int Rows = 200;

    private static ModelMetadata Metadata => new("job", "guest", Hosts, "arbiter", "{}", 1, false, DateTimeOffset.UnixEpoch);

    [Fact]
    [Trait("Category", "Attack")]
    public async Task ThreeHosts_GuestReceivesNoHostsPartialScore_ButTheirSumIsExact()
    {
        var random = new Random(5);
        string[] ids = [.. Enumerable.Range(0, Rows).Select(i => $"id{i}")];
        var guestData = new Dataset(ids, ["g"], [.. Enumerable.Range(0, Rows).Select(_ => random.NextDouble() * 4 - 2)]);
        var guestPart = new GuestModelPart(["g"], [0.7], -0.3, StandardScaler.Identity(1), Metadata);
        var hostData = Hosts.Select(_ => new Dataset(ids, ["a", "b"], [.. Enumerable.Range(0, 2 * Rows).Select(_ => random.NextDouble() * 10)])).ToArray();
        var hostParts = Hosts.Select((h, k) => new HostModelPart(["a", "b"], [0.5 - k, 0.25 * k + 0.1],
            new StandardScaler([5.0, 4.0], [2.0, 3.0]), "job", "guest", DateTimeOffset.UnixEpoch)).ToArray();

        var federation = new InMemoryFederation(["guest", .. Hosts], Bound);
        var guestChannel = new SpyChannel(federation.Channel("guest", "p"));
        var serving = Hosts.Select((h, k) => new HostPredictor(federation.Channel(h, "p"), "guest", hostParts[k], Hosts).ServeAsync(hostData[k])).ToArray();
        var rows = await new GuestPredictor(guestChannel, Hosts, guestPart).PredictAsync(guestData).WaitAsync(Bound);
        await Task.WhenAll(serving).WaitAsync(Bound);

        // Independently of the protocol code: each host's true partial score, and the model's probability.
        var truth = Hosts.Select((_, k) => Enumerable.Range(0, Rows).Select(r =>
            (hostData[k].Values[2 * r] - 5.0) / 2.0 * hostParts[k].Weights[0] + (hostData[k].Values[2 * r + 1] - 4.0) / 3.0 * hostParts[k].Weights[1]).ToArray()).ToArray();
        for (int r = 0; r < Rows; r++)
        {
            double score = 0.7 * guestData.Values[r] - 0.3 + truth.Sum(t => t[r]);
            Assert.Equal(1 / (1 + Math.Exp(-score)), rows[r].Probability, tolerance: 1e-9);   // fixed point: 2^-33 per host
        }

        // What the guest received from each host: no plaintext scores, and masked words that, read as the same
        // fixed-point numbers the sum uses, neither equal nor correlate with that host's partial scores.
        foreach (var (host, k) in Hosts.Select((h, k) => (h, k)))
        {
            var reply = Assert.IsType<PartialScores>(Assert.Single(guestChannel.Received, m => m.Peer == host && m.Message is PartialScores).Message);
            Assert.Empty(reply.Scores);
            Assert.Equal(Rows, reply.Masked.Count);
            double[] seen = [.. reply.Masked.Select(w => unchecked((long)w) / 4294967296.0)];
            Assert.All(Enumerable.Range(0, Rows), r => Assert.True(Math.Abs(seen[r] - truth[k][r]) > 1.0, $"row {r} of {host} leaked"));
            Assert.InRange(Correlation(seen, truth[k]), -0.3, 0.3);
        }
        // The sum of any two hosts' words is as uninformative (the third host's masks remain).
        double[] pair = [.. Enumerable.Range(0, Rows).Select(r => unchecked((long)(Masked(guestChannel, "h0")[r] + Masked(guestChannel, "h1")[r])) / 4294967296.0)];
        Assert.InRange(Correlation(pair, [.. Enumerable.Range(0, Rows).Select(r => truth[0][r] + truth[1][r])]), -0.3, 0.3);
    }

    [Fact]
    [Trait("Category", "Attack")]
    public async Task GuestSubstitutingAHostsOwnMaskKey_IsRefusedByThatHost()
    {
        var data = new Dataset(["x"], ["a"], [1.0]);
        var part = new HostModelPart(["a"], [1.0], StandardScaler.Identity(1), "job", "guest", DateTimeOffset.UnixEpoch);
        var federation = new InMemoryFederation(["guest", "h0", "h1"], Bound);
        var h0 = new HostPredictor(federation.Channel("h0", "p"), "guest", part, ["h0", "h1"]).ServeAsync(data);
        var guest = federation.Channel("guest", "p");
        var request = new PredictionRequest { Ids = { "x" } };
        await guest.SendAsync("h0", request);
        var key = await guest.ReceiveAsync<PredictionMaskKey>("h0").WaitAsync(Bound);

        // The guest answers h0 with its own key in place of h0's (to pair h0 with itself and learn its masks).
        using var guestKey = new PairwiseMask();
        var forged = new PredictionMaskKeys();
        forged.PublicKeys["h0"] = ByteString.CopyFrom(guestKey.PublicKey);
        forged.PublicKeys["h1"] = ByteString.CopyFrom(guestKey.PublicKey);
        await guest.SendAsync("h0", forged);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => h0.WaitAsync(Bound));
        Assert.Contains("relayed mask keys", error.Message);
        Assert.NotEmpty(key.PublicKey);
    }

    [Fact]
    public async Task TwoHosts_OneMissingAnId_FailsNamingTheHost()
    {
        var part = new HostModelPart(["a"], [1.0], StandardScaler.Identity(1), "job", "guest", DateTimeOffset.UnixEpoch);
        var guestPart = new GuestModelPart(["g"], [1.0], 0, StandardScaler.Identity(1), Metadata);
        var federation = new InMemoryFederation(["guest", "h0", "h1"], Bound);
        var h0 = new HostPredictor(federation.Channel("h0", "p"), "guest", part, ["h0", "h1"]).ServeAsync(new Dataset(["x", "y"], ["a"], [1, 2]));
        var h1 = new HostPredictor(federation.Channel("h1", "p"), "guest", part, ["h0", "h1"]).ServeAsync(new Dataset(["x"], ["a"], [1]));
        var e = await Assert.ThrowsAsync<BadInputException>(() =>
            new GuestPredictor(federation.Channel("guest", "p"), ["h0", "h1"], guestPart).PredictAsync(new Dataset(["x", "y"], ["g"], [0, 0])).WaitAsync(Bound));
        Assert.Contains("host 'h1'", e.Message);
        await h0.WaitAsync(Bound);
        await Assert.ThrowsAsync<BadInputException>(() => h1.WaitAsync(Bound));
    }

    private static ulong[] Masked(SpyChannel guest, string host) =>
        [.. ((PartialScores)guest.Received.Single(m => m.Peer == host && m.Message is PartialScores).Message).Masked];

    private static double Correlation(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double sxy = x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my));
        double sxx = x.Sum(v => (v - mx) * (v - mx)), syy = y.Sum(v => (v - my) * (v - my));
        return sxy / Math.Sqrt(sxx * syy);
    }
}
