using VerticalFL.Ml.Data;
using VerticalFL.Ml.Preprocessing;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Models;
using VerticalFL.Protocol.Prediction;
using VerticalFL.Protocol.Tests.Training;

namespace VerticalFL.Protocol.Tests.Prediction;

public class PredictionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static ModelMetadata Metadata => new("job", "guest", ["host0"], "arbiter", "{}", 1, false, DateTimeOffset.UnixEpoch);

    /// <summary>Hand-made parts: guest w = (1, −2), b = 0.5 on raw values; host w = (0.25) after scaling by mean 1, std 2.</summary>
    private static (GuestModelPart Guest, HostModelPart Host) Parts() => (
        new GuestModelPart(["a", "b"], [1, -2], 0.5, StandardScaler.Identity(2), Metadata),
        new HostModelPart(["c"], [0.25], new StandardScaler([1.0], [2.0]), "job", "guest", DateTimeOffset.UnixEpoch));

    [Fact]
    public async Task PredictAsync_OneHost_CombinesPartialScoresIntoProbabilities()
    {
        var (guestPart, hostPart) = Parts();
        var guest = new Dataset(["x", "y"], ["a", "b"], [1, 1, 0, -1]);
        var host = new Dataset(["y", "x", "z"], ["c"], [5, -3, 100]); // other order and an extra id
        var federation = new InMemoryFederation(["guest", "host0"], Timeout);

        var serve = new HostPredictor(federation.Channel("host0", "p"), "guest", hostPart).ServeAsync(host);
        var rows = await new GuestPredictor(federation.Channel("guest", "p"), ["host0"], guestPart).PredictAsync(guest, 0.5).WaitAsync(Timeout);
        await serve.WaitAsync(Timeout);

        // x: 1 − 2 + 0.5 + 0.25·(−3 − 1)/2 = −1;  y: 0 + 2 + 0.5 + 0.25·(5 − 1)/2 = 3
        Assert.Equal(["x", "y"], rows.Select(r => r.Id));
        Assert.Equal(1 / (1 + Math.Exp(1)), rows[0].Probability, 12);
        Assert.Equal(1 / (1 + Math.Exp(-3)), rows[1].Probability, 12);
        Assert.Equal([0, 1], rows.Select(r => r.Label));
    }

    [Fact]
    public async Task PredictAsync_IdMissingAtHost_FailsOnBothSidesNamingTheId()
    {
        var (guestPart, hostPart) = Parts();
        var guest = new Dataset(["x", "w"], ["a", "b"], [1, 1, 0, -1]);
        var host = new Dataset(["x"], ["c"], [5]);
        var federation = new InMemoryFederation(["guest", "host0"], Timeout);

        var serve = new HostPredictor(federation.Channel("host0", "p"), "guest", hostPart).ServeAsync(host);
        var e = await Assert.ThrowsAsync<BadInputException>(() =>
            new GuestPredictor(federation.Channel("guest", "p"), ["host0"], guestPart).PredictAsync(guest).WaitAsync(Timeout));
        Assert.Contains("'w'", e.Message);
        await Assert.ThrowsAsync<BadInputException>(() => serve.WaitAsync(Timeout));
    }

    [Fact]
    public async Task PredictAsync_ColumnsOtherThanModel_Refused()
    {
        var (guestPart, _) = Parts();
        var guest = new Dataset(["x"], ["a", "zz"], [1, 1]);
        var federation = new InMemoryFederation(["guest", "host0"], Timeout);
        var e = await Assert.ThrowsAsync<BadInputException>(() =>
            new GuestPredictor(federation.Channel("guest", "p"), ["host0"], guestPart).PredictAsync(guest).WaitAsync(Timeout));
        Assert.StartsWith("columns:", e.Message);
    }

    [Fact]
    public async Task PredictAsync_AfterTraining_MatchesJoinedModelScores()
    {
        var (guest, hosts) = LrFederation.Data(128, 2, [3]);
        var parameters = new Protocol.Training.HeteroLrParameters { Epochs = 2, BatchSize = 64, Tol = 0 };
        var trained = await LrFederation.RunAsync(parameters, guest, hosts);
        var federation = new InMemoryFederation(["guest", "host0"], Timeout);
        var serve = new HostPredictor(federation.Channel("host0", "p"), "guest", trained.Hosts[0]).ServeAsync(hosts[0]);
        var rows = await new GuestPredictor(federation.Channel("guest", "p"), ["host0"], trained.Guest).PredictAsync(guest).WaitAsync(Timeout);
        await serve.WaitAsync(Timeout);

        // Independently: standardise each party's columns here and apply the joined weight vector.
        var scaled = new[] { guest, hosts[0] }.Select(d => StandardScaler.Fit(d.Values, d.Columns).Transform(d.Values)).ToArray();
        for (int r = 0; r < guest.Rows; r++)
        {
            double score = trained.Guest.Intercept;
            for (int c = 0; c < 2; c++) score += scaled[0][r * 2 + c] * trained.Guest.Weights[c];
            for (int c = 0; c < 3; c++) score += scaled[1][r * 3 + c] * trained.Hosts[0].Weights[c];
            Assert.Equal(1 / (1 + Math.Exp(-score)), rows[r].Probability, 9);
        }
    }
}
