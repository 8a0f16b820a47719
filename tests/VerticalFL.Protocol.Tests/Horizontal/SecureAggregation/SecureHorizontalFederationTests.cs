using VerticalFL.Ml.Data;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Horizontal;

namespace VerticalFL.Protocol.Tests.Horizontal.SecureAggregation;

/// <summary>Whole horizontal jobs with secure aggregation on, over the in-memory channel.</summary>
public sealed class SecureHorizontalFederationTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    // Honest runs wait up to 10 s per step (the machine may be loaded); dropout runs 3 s, the time a dropout costs.
    private static HorizontalParameters Parameters(bool secure, int rounds = 3, int min = 3, int deadlineSeconds = 20, int stepSeconds = 10) => new()
    {
        Rounds = rounds, BatchSize = 32, LearningRate = 0.2, MinParticipants = min, ValidationFraction = 0.2,
        RoundDeadline = TimeSpan.FromSeconds(deadlineSeconds),
        SecureAggregation = new SecureAggregationSettings { Enabled = secure, StepDeadline = TimeSpan.FromSeconds(stepSeconds) },
    };

    private static async Task<(HorizontalArbiterResult? Arbiter, Exception? ArbiterError, Task<HorizontalClientResult>[] Clients, List<(int Round, IReadOnlyDictionary<string, ulong[]> Masked)> Held)>
        RunAsync(Dataset[] parties, HorizontalParameters parameters, Func<int, (int, SecureAggregationStage)?>? drop = null)
    {
        var names = parties.Select((_, i) => $"bank{i}").ToArray();
        var identities = SecureAggregationIdentity.ForInProcess(names);
        var federation = new InMemoryFederation([.. names, "arbiter"], Bound);
        using var cts = new CancellationTokenSource(Bound);
        var held = new List<(int, IReadOnlyDictionary<string, ulong[]>)>();
        var arbiter = new HorizontalArbiter(federation.Channel("arbiter", "h"), names, parameters)
        {
            OnSecureRound = (round, session) => held.Add((round, session.MaskedInputs.ToDictionary(m => m.Key, m => (ulong[])m.Value.Clone()))),
        }.RunAsync(cts.Token);
        var clients = parties.Select((data, i) => new HorizontalClient(federation.Channel(names[i], "h"), "arbiter", parameters, data)
        {
            SecureAggregationIdentity = identities[names[i]], DropAfter = drop?.Invoke(i),
        }.RunAsync(cts.Token)).ToArray();
        try
        {
            return (await arbiter, null, clients, held);
        }
        catch (HorizontalJobException e)
        {
            return (null, e, clients, held);
        }
    }

    [Fact]
    public async Task FiveClients_SecureFedAvg_GivesThePlainModelToWithinQuantisation()
    {
        var parties = HorizontalFederationTests.Parties([200, 300, 150, 250, 100], seed: 21);
        var (plain, _, plainClients, _) = await RunAsync(parties, Parameters(secure: false));
        var (secure, error, secureClients, held) = await RunAsync(parties, Parameters(secure: true));
        Assert.Null(error);
        await Task.WhenAll(plainClients.Concat(secureClients));
        // Quantisation error of a summed real: ≤ 5 · 2^−25 per entry of Σ n_i Δ_i, divided by Σ n_i = 800 rows.
        for (int i = 0; i < plain!.Model.Weights.Length; i++)
            Assert.Equal(plain.Model.Weights[i], secure!.Model.Weights[i], 1e-6);
        Assert.All(secure!.Rounds, r => Assert.Equal(5, r.Participants.Count));
        // Validation counts are summed exactly in the ring: the pooled metrics are identical to the plain run's.
        Assert.Equal(plain.Rounds[0].Validation.Rows, secure.Rounds[0].Validation.Rows);
        Assert.Equal(plain.Rounds[0].Validation.Accuracy, secure.Rounds[0].Validation.Accuracy);
        Assert.Equal(plain.Rounds[0].Validation.Auc!.Value, secure.Rounds[0].Validation.Auc!.Value, 12);
        Assert.Equal(plain.Rounds[0].TrainLoss, secure.Rounds[0].TrainLoss, 6);
        Assert.Equal(3, held.Count);
        Assert.All(held, h => Assert.Equal(5, h.Masked.Count));
        // What the arbiter held of each client: a masked vector whose entries decode (f = 24) to magnitudes near
        // 2^39, where the real weighted updates n_i·Δ_i of these 100–300-row clients are below 10^3, and whose
        // weight entry is not the client's row count.
        int p = plain.Model.Weights.Length;
        foreach (var (_, masked) in held)
            foreach (var y in masked.Values)
            {
                double median = y.Take(p).Select(w => Math.Abs(unchecked((long)w) / Math.Pow(2, 24))).Order().ElementAt(p / 2);
                Assert.True(median > 1e6, $"median |decoded masked entry| {median:E2}");
                Assert.DoesNotContain(Math.Abs(unchecked((long)y[p]) / Math.Pow(2, 24)), new[] { 160.0, 240, 120, 200, 80 });
            }
    }

    [Fact]
    public async Task TwoDataParties_AreRefusedBeforeAnythingIsSent()
    {
        var parties = HorizontalFederationTests.Parties([100, 100], seed: 22);
        var names = new[] { "bank0", "bank1" };
        var federation = new InMemoryFederation([.. names, "arbiter"], Bound);
        var error = await Assert.ThrowsAsync<HorizontalJobException>(() =>
            new HorizontalArbiter(federation.Channel("arbiter", "h"), names, Parameters(secure: true, min: 2)).RunAsync());
        Assert.Contains("at least 3 data parties", error.Message);
        Assert.Contains("learn the other's exactly", error.Message);
    }

    [Fact]
    public async Task OneOfFiveVanishesAfterSharingKeys_TheRoundSumsTheOtherFourAndTheJobGoesOn()
    {
        var parties = HorizontalFederationTests.Parties([200, 300, 150, 250, 100], seed: 23);
        var (arbiter, error, clients, _) = await RunAsync(parties, Parameters(secure: true, rounds: 1, min: 3, deadlineSeconds: 5, stepSeconds: 3),
            drop: i => i == 1 ? (1, SecureAggregationStage.SharedKeys) : null);
        Assert.Null(error);
        Assert.Equal(["bank0", "bank2", "bank3", "bank4"], arbiter!.Rounds[0].Participants);
        Assert.Contains("bank1", arbiter.Rounds[0].LeftOut.Keys);
        Assert.Equal(4, (await Task.WhenAll(clients.Where((_, i) => i != 1))).Length);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => clients[1]);
    }

    [Fact]
    public async Task TwoOfFiveVanish_MoreThanNMinusT_TheJobFailsCleanlyAndEveryClientHearsWhy()
    {
        var parties = HorizontalFederationTests.Parties([200, 300, 150, 250, 100], seed: 24);
        var (_, error, clients, _) = await RunAsync(parties, Parameters(secure: true, rounds: 2, stepSeconds: 3),
            drop: i => i is 0 or 4 ? (1, SecureAggregationStage.SharedKeys) : null);
        Assert.NotNull(error);
        Assert.Contains("round 1: secure aggregation failed: 3 of 5 clients sent their masked input", error!.Message);
        Assert.Contains("t = 4", error.Message);
        foreach (int i in new[] { 1, 2, 3 })
        {
            var clientError = await Assert.ThrowsAsync<HorizontalJobException>(() => clients[i]);
            Assert.Contains("secure aggregation failed", clientError.Message);
        }
    }

    [Fact]
    public void Validate_RefusesFedAsyncAndAMinorityThreshold()
    {
        var fedAsync = Parameters(secure: true) with { Mode = HorizontalMode.FedAsync };
        Assert.Contains("one client's update at a time", Assert.Throws<ArgumentException>(fedAsync.Validate).Message);
        var low = Parameters(secure: true) with { SecureAggregation = new SecureAggregationSettings { Enabled = true, Threshold = 0.5 } };
        Assert.Contains("secure_aggregation.threshold", Assert.Throws<ArgumentException>(low.Validate).Message);
        var odd = Parameters(secure: true) with { SecureAggregation = new SecureAggregationSettings { Enabled = true, Neighbours = 3 } };
        Assert.Contains("even number", Assert.Throws<ArgumentException>(odd.Validate).Message);
    }
}
