using VerticalFL.Ml.Data;
using VerticalFL.Ml.Metrics;
using VerticalFL.Ml.Preprocessing;
using VerticalFL.Ml.Training;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Horizontal;

namespace VerticalFL.Protocol.Tests.Horizontal;

/// <summary>Arbiter and clients in one process over the in-memory channel.</summary>
public class HorizontalFederationTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    /// <summary>Rows with a linear logit over 4 columns of different means and scales, split into unequal parties.</summary>
    internal static Dataset[] Parties(int[] rowsPerParty, long seed, string[]? columns = null)
    {
        var random = new DeterministicRandom(seed);
        columns ??= ["age", "income", "debt", "tenure"];
        double[] means = [40, 3000, 500, 5], scales = [10, 800, 200, 3], beta = [0.8, -1.2, 0.6, 0.4];
        return rowsPerParty.Select((rows, p) =>
        {
            var values = new double[rows * 4];
            var labels = new double[rows];
            for (int r = 0; r < rows; r++)
            {
                double logit = 0;
                for (int c = 0; c < 4; c++)
                {
                    double z = 2 * random.NextDouble() - 1 + 0.3 * p;   // each party's rows sit elsewhere (non-IID)
                    values[r * 4 + c] = means[c] + scales[c] * z;
                    logit += beta[c] * z * 2;
                }
                labels[r] = random.NextDouble() < 1 / (1 + Math.Exp(-logit)) ? 1 : 0;
            }
            return new Dataset(Enumerable.Range(0, rows).Select(r => $"p{p}r{r}").ToArray(), columns, values, labels);
        }).ToArray();
    }

    private static async Task<(HorizontalArbiterResult Arbiter, HorizontalClientResult?[] Clients)> RunAsync(
        Dataset[] parties, HorizontalParameters parameters, Func<int, Func<int, CancellationToken, Task>?>? slow = null, int silent = -1)
    {
        var names = parties.Select((_, i) => $"bank{i}").ToArray();
        var federation = new InMemoryFederation([.. names, "arbiter"], Bound);
        using var cts = new CancellationTokenSource(Bound);
        var arbiter = new HorizontalArbiter(federation.Channel("arbiter", "h"), names, parameters).RunAsync(cts.Token);
        var clients = parties.Select((data, i) =>
        {
            var client = new HorizontalClient(federation.Channel(names[i], "h"), "arbiter", parameters, data) { BeforeUpdate = slow?.Invoke(i) };
            return client.RunAsync(cts.Token);
        }).ToArray();
        var arbiterResult = await arbiter;
        var clientResults = new HorizontalClientResult?[clients.Length];
        for (int i = 0; i < clients.Length; i++)
            if (i != silent)
                clientResults[i] = await clients[i];
        return (arbiterResult, clientResults);
    }

    [Fact]
    public async Task Run_ThreeClientsFedAvg_ReachesCentralisedAucAndEveryClientHoldsTheModel()
    {
        var parties = Parties([300, 500, 200], seed: 3);
        var parameters = new HorizontalParameters { Rounds = 15, EpochsPerRound = 1, BatchSize = 32, LearningRate = 0.2, MinParticipants = 3 };
        var (arbiter, clients) = await RunAsync(parties, parameters);

        var pooled = Dataset.JoinRows(parties);
        double federated = BinaryMetrics.Auc(arbiter.Model.Predict(pooled).Select(p => p[1]).ToArray(), pooled.Labels!);
        var central = await CentralisedAsync(pooled, parameters);
        Assert.InRange(federated, central - 0.01, 1.0);
        Assert.Equal(15, arbiter.Rounds.Count);
        Assert.All(arbiter.Rounds, r => Assert.Equal(3, r.Participants.Count));
        Assert.All(clients, c => Assert.Equal(arbiter.Model.Weights, c!.Model.Weights));
        Assert.True(arbiter.Rounds[^1].Validation.Loss < arbiter.Rounds[0].Validation.Loss, "validation loss fell");
        Assert.NotNull(arbiter.Final.Auc);
    }

    [Fact]
    public async Task Setup_AgreedStatistics_AreThoseOfAllRowsPooled()
    {
        var parties = Parties([300, 500, 200], seed: 4);
        var parameters = new HorizontalParameters { Rounds = 1, MinParticipants = 3, ValidationFraction = 0 };
        var (_, clients) = await RunAsync(parties, parameters);
        var pooled = StandardScaler.Fit(Dataset.JoinRows(parties).Values, 4);
        Assert.All(clients, c =>
        {
            for (int col = 0; col < 4; col++)
            {
                Assert.Equal(pooled.Means[col], c!.Model.Means[col], 8);
                Assert.Equal(pooled.Scales[col], c.Model.Scales[col], 8);
            }
        });
    }

    [Fact]
    public async Task Setup_ColumnsInAnotherOrder_RefusedEverywhereWithTheMismatchNamed()
    {
        var parties = Parties([100, 100], seed: 5);
        parties[1] = Parties([100], seed: 6, columns: ["age", "debt", "income", "tenure"])[0];
        var federation = new InMemoryFederation(["bank0", "bank1", "arbiter"], Bound);
        var parameters = new HorizontalParameters { Rounds = 2 };
        var arbiter = new HorizontalArbiter(federation.Channel("arbiter", "h"), ["bank0", "bank1"], parameters).RunAsync();
        var clients = parties.Select((d, i) => new HorizontalClient(federation.Channel($"bank{i}", "h"), "arbiter", parameters, d).RunAsync()).ToArray();
        var error = await Assert.ThrowsAsync<HorizontalJobException>(() => arbiter);
        Assert.Contains("column 2: bank1 has 'debt' where bank0 has 'income'", error.Message);
        foreach (var client in clients)
            Assert.Equal(error.Message, (await Assert.ThrowsAsync<HorizontalJobException>(() => client)).Message);
    }

    [Fact]
    public async Task Round_ClientMissesTheDeadline_IsLeftOutAndTheJobSucceeds()
    {
        var parties = Parties([200, 200, 200], seed: 7);
        var parameters = new HorizontalParameters { Rounds = 3, MinParticipants = 2, RoundDeadline = TimeSpan.FromSeconds(3) };
        // bank2 hangs in its second round until the job ends (a client stuck or gone mid-round).
        var release = new TaskCompletionSource();
        var (arbiter, _) = await RunAsync(parties, parameters,
            i => i != 2 ? null : (k, _) => k == 2 ? release.Task : Task.CompletedTask, silent: 2);
        release.SetResult();
        Assert.Equal(["bank0", "bank1", "bank2"], arbiter.Rounds[0].Participants);
        Assert.Equal(["bank0", "bank1"], arbiter.Rounds[1].Participants);
        Assert.Contains("deadline", arbiter.Rounds[1].LeftOut["bank2"]);
    }

    [Fact]
    public async Task Round_FewerThanMinParticipants_FailsTheJobAndStopsTheClients()
    {
        var parties = Parties([200, 200], seed: 8);
        var parameters = new HorizontalParameters { Rounds = 3, MinParticipants = 2, RoundDeadline = TimeSpan.FromSeconds(2) };
        var never = new TaskCompletionSource();
        var federation = new InMemoryFederation(["bank0", "bank1", "arbiter"], Bound);
        var arbiter = new HorizontalArbiter(federation.Channel("arbiter", "h"), ["bank0", "bank1"], parameters).RunAsync();
        var healthy = new HorizontalClient(federation.Channel("bank0", "h"), "arbiter", parameters, parties[0]).RunAsync();
        _ = new HorizontalClient(federation.Channel("bank1", "h"), "arbiter", parameters, parties[1]) { BeforeUpdate = (_, _) => never.Task }.RunAsync();
        var error = await Assert.ThrowsAsync<HorizontalJobException>(() => arbiter);
        Assert.Contains("round 1: 1 of 2 selected clients sent an update, fewer than min_participants 2", error.Message);
        Assert.Contains("bank1", error.Message);
        Assert.Equal(error.Message, (await Assert.ThrowsAsync<HorizontalJobException>(() => healthy)).Message);
    }

    private static async Task<double> CentralisedAsync(Dataset pooled, HorizontalParameters parameters)
    {
        var one = new HorizontalParameters { Rounds = parameters.Rounds, EpochsPerRound = parameters.EpochsPerRound, BatchSize = parameters.BatchSize, LearningRate = parameters.LearningRate, MinParticipants = 1, ValidationFraction = parameters.ValidationFraction };
        var federation = new InMemoryFederation(["all", "arbiter"], Bound);
        var arbiter = new HorizontalArbiter(federation.Channel("arbiter", "c"), ["all"], one).RunAsync();
        _ = new HorizontalClient(federation.Channel("all", "c"), "arbiter", one, pooled).RunAsync();
        var model = (await arbiter).Model;
        return BinaryMetrics.Auc(model.Predict(pooled).Select(p => p[1]).ToArray(), pooled.Labels!);
    }
}
