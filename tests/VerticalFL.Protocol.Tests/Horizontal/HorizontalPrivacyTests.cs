using VerticalFL.Ml.Data;
using VerticalFL.Ml.Metrics;
using VerticalFL.Ml.Privacy;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Horizontal;
using VerticalFL.Protocol.Horizontal.Privacy;

namespace VerticalFL.Protocol.Tests.Horizontal;

/// <summary>Record-level DP-SGD and client-level DP-FedAvg: clipping, noise, calibration, refusal, and whole jobs.</summary>
public class HorizontalPrivacyTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(3);

    [Fact]
    public void Clip_L2_LongVectorIsScaledToTheNormExactlyAndKeepsItsDirection()
    {
        var mechanism = new LatticeMechanism(new PrivacySettings { Epsilon = 1, ClippingNorm = 2.0 }, 1, double.NaN);
        var clipped = mechanism.Clip([30.0, -40.0, 0.0]);   // norm 50 ≫ C = 2
        double norm = Math.Sqrt(clipped.Sum(x => (double)x * x)) * mechanism.Granularity;
        Assert.InRange(norm, 2.0 - 1e-4, 2.0);
        Assert.Equal(0.6 * 2.0, clipped[0] * mechanism.Granularity, 4);
        Assert.Equal(-0.8 * 2.0, clipped[1] * mechanism.Granularity, 4);
        // short vectors are only rounded to the lattice (γ = 2/2^16)
        var kept = mechanism.Clip([0.5, -0.25]);
        Assert.Equal([0.5 / mechanism.Granularity, -0.25 / mechanism.Granularity], kept.Select(x => (double)x));
    }

    [Fact]
    public void Clip_L1ForLaplace_BoundsTheSumOfMagnitudes()
    {
        var mechanism = new LatticeMechanism(new PrivacySettings { Epsilon = 1, Noise = PrivacyNoise.Laplace }, double.NaN, 0.5);
        var clipped = mechanism.Clip([3.0, -1.0, 1.0]);       // L1 5 → 1: (0.6, −0.2, 0.2)
        Assert.True(clipped.Sum(x => Math.Abs(x)) <= LatticeMechanism.K);
        Assert.Equal(0.6, clipped[0] * mechanism.Granularity, 4);
        Assert.Equal(-0.2, clipped[1] * mechanism.Granularity, 4);
    }

    [Fact]
    public void Noise_Gaussian_HasStandardDeviationZTimesTheClippingNorm()
    {
        // z = 1.5: per coordinate σ = 1.5·K lattice units. 30,000 draws: the sample variance's standard error is σ²·√(2/n).
        var mechanism = new LatticeMechanism(new PrivacySettings { Epsilon = 1 }, 1.5, double.NaN);
        var sum = new long[30_000];
        mechanism.AddNoise(sum);
        double sigma = 1.5 * LatticeMechanism.K;
        double variance = sum.Average(x => (double)x * x);
        Assert.InRange(variance / (sigma * sigma), 1 - 5 * Math.Sqrt(2.0 / sum.Length), 1 + 5 * Math.Sqrt(2.0 / sum.Length));
        Assert.InRange(sum.Average(x => (double)x), -5 * sigma / Math.Sqrt(sum.Length), 5 * sigma / Math.Sqrt(sum.Length));
    }

    [Fact]
    public void Noise_Laplace_HasScaleKOverStepEpsilon()
    {
        // ε₀ = 0.5: scale b = 2K, E|X| ≈ b (continuous limit; the lattice is fine at b = 131072). SD of |X| is b.
        var mechanism = new LatticeMechanism(new PrivacySettings { Epsilon = 1, Noise = PrivacyNoise.Laplace }, double.NaN, 0.5);
        var sum = new long[30_000];
        mechanism.AddNoise(sum);
        double b = 2.0 * LatticeMechanism.K;
        Assert.InRange(sum.Average(x => Math.Abs((double)x)) / b, 1 - 5 / Math.Sqrt(sum.Length), 1 + 5 / Math.Sqrt(sum.Length));
    }

    [Fact]
    public void DpSgdStep_RowsWithHugeGradients_MoveTheModelByAtMostTheClippingNormPlusNoise()
    {
        // 50 rows with features of scale 10⁴: each row's gradient has norm ~10⁴. One DP-SGD step at q = 1 (batch = rows)
        // and learning rate 1 moves w by γ(Σ clipped + noise)/50: at most C = 1 from the clipped mean, plus the noise.
        var random = new VerticalFL.Ml.Training.DeterministicRandom(5);
        const int rows = 50, columns = 4;
        var features = Enumerable.Range(0, rows * columns).Select(_ => 1e4 * (2 * random.NextDouble() - 1)).ToArray();
        var labels = Enumerable.Range(0, rows).Select(i => (double)(i % 2)).ToArray();
        var network = new VerticalFL.Ml.Horizontal.DenseNetwork(columns, 2);
        var parameters = new HorizontalParameters
        {
            Rounds = 1, EpochsPerRound = 1, BatchSize = rows, LearningRate = 1, Privacy = new PrivacySettings { Epsilon = 1000, ClippingNorm = 1 },
        };
        var trainRows = Enumerable.Range(0, rows).ToArray();
        var start = new double[network.ParameterCount];
        var plan = PrivacyPlan.ForClient(parameters, rows);
        var dp = new DpSgdTrainer(network, parameters).Train(start, features, labels, trainRows, 1);
        double moved = Math.Sqrt(dp.Weights.Sum(w => w * w));
        double noiseBound = 6 * plan.NoiseMultiplier * Math.Sqrt(network.ParameterCount) / rows;   // 6σ per coordinate, all coordinates
        Assert.Equal(1, dp.LocalSteps);
        Assert.InRange(moved, 0, 1 + noiseBound);
        // the same step without DP moves w by the unclipped mean gradient, thousands of times further
        var plain = new LocalTrainer(network, parameters with { Privacy = null }).Train(start, features, labels, trainRows, 1);
        Assert.True(Math.Sqrt(plain.Weights.Sum(w => w * w)) > 100 * (1 + noiseBound), "the unclipped step is far larger");
    }

    [Fact]
    public void DpSgdTrainer_AskedForMoreRoundsThanTheBudgetCovers_Refuses()
    {
        var network = new VerticalFL.Ml.Horizontal.DenseNetwork(1, 2);
        var parameters = new HorizontalParameters { Rounds = 2, BatchSize = 4, Privacy = new PrivacySettings { Epsilon = 4 } };
        var trainer = new DpSgdTrainer(network, parameters);
        double[] features = [0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8], labels = [0, 1, 0, 1, 0, 1, 0, 1];
        int[] rows = [0, 1, 2, 3, 4, 5, 6, 7];
        var weights = new double[network.ParameterCount];
        trainer.Train(weights, features, labels, rows, 1);
        trainer.Train(weights, features, labels, rows, 2);
        var error = Assert.Throws<PrivacyBudgetException>(() => trainer.Train(weights, features, labels, rows, 3));
        Assert.Contains("round 3 was asked for and refused", error.Message);
    }

    [Fact]
    public void Plan_RecordLevel_SpendsTheBudgetByTheLastRoundAndNoMore()
    {
        var parameters = new HorizontalParameters { Rounds = 10, EpochsPerRound = 2, BatchSize = 32, Privacy = new PrivacySettings { Epsilon = 4 } };
        var plan = PrivacyPlan.For(parameters, [640, 320]);
        // client 1: q = 32/640, 2·20 = 40 steps a round; client 2: q = 0.1, 2·10 = 20 steps
        Assert.Equal(0.05, plan.Clients[0].SamplingRate, 12);
        Assert.Equal(40, plan.Clients[0].StepsPerRound);
        Assert.Equal(20, plan.Clients[1].StepsPerRound);
        foreach (var c in plan.Clients)
            Assert.InRange(SampledGaussianRdpAccountant.Epsilon(c.SamplingRate, c.NoiseMultiplier, 10 * c.StepsPerRound, 1e-5), 3.99, 4.0);
        var spent = Enumerable.Range(1, 10).Select(plan.EpsilonAfter).ToArray();
        Assert.True(spent.Zip(spent.Skip(1)).All(p => p.First < p.Second), "ε grows every round");
        Assert.InRange(spent[^1], 3.99, 4.0);
        Assert.Equal(plan.Clients[0], PrivacyPlan.ForClient(parameters, 640));   // a client computes the arbiter's numbers
    }

    [Fact]
    public void Plan_ClientLevel_IsTheGaussianAtQOne_OneReleasePerRound()
    {
        var parameters = new HorizontalParameters { Rounds = 20, Privacy = new PrivacySettings { Epsilon = 8, Level = PrivacyLevel.Client } };
        var plan = PrivacyPlan.For(parameters, [100, 100, 100]);
        double z = plan.Clients[0].NoiseMultiplier;
        // closed form per round: α/(2z²); ε over 20 rounds minimised over integer α
        double expected = Enumerable.Range(2, 255).Min(a => 20 * a / (2 * z * z) + Math.Log(1e5) / (a - 1));
        Assert.Equal(expected, plan.EpsilonAfter(20), 9);
        Assert.InRange(expected, 7.99, 8.0);
    }

    [Fact]
    public void Plan_UnreachableBudget_IsRefusedNamingTheSetting()
    {
        var parameters = new HorizontalParameters { Rounds = 50, BatchSize = 200, Privacy = new PrivacySettings { Epsilon = 0.01 } };
        var error = Assert.Throws<PrivacyBudgetException>(() => PrivacyPlan.For(parameters, [200]));
        Assert.Contains("privacy.epsilon", error.Message);
        Assert.Contains("noise multiplier above 100", error.Message);
    }

    [Fact]
    public void Validate_PrivacyWithAsyncModeOrMissingEpsilon_IsRefused()
    {
        var missing = new HorizontalParameters { Privacy = new PrivacySettings() };
        Assert.Contains("privacy.epsilon", Assert.Throws<ArgumentException>(missing.Validate).Message);
        var async = new HorizontalParameters { Mode = HorizontalMode.FedAsync, Privacy = new PrivacySettings { Epsilon = 1, Level = PrivacyLevel.Client } };
        Assert.Contains("privacy.level", Assert.Throws<ArgumentException>(async.Validate).Message);
        new HorizontalParameters { Mode = HorizontalMode.FedBuff, Privacy = new PrivacySettings { Epsilon = 1 } }.Validate();   // record level: fine
    }

    private static async Task<HorizontalArbiterResult> RunAsync(Dataset[] parties, HorizontalParameters parameters)
    {
        var names = parties.Select((_, i) => $"bank{i}").ToArray();
        var federation = new InMemoryFederation([.. names, "arbiter"], Bound);
        using var cts = new CancellationTokenSource(Bound);
        var arbiter = new HorizontalArbiter(federation.Channel("arbiter", "p"), names, parameters).RunAsync(cts.Token);
        var clients = parties.Select((d, i) => new HorizontalClient(federation.Channel(names[i], "p"), "arbiter", parameters, d).RunAsync(cts.Token)).ToArray();
        var result = await arbiter;
        await Task.WhenAll(clients);
        return result;
    }

    private static double Auc(HorizontalModel model, Dataset data) => BinaryMetrics.Auc(model.Predict(data).Select(p => p[1]).ToArray(), data.Labels!);

    [Theory]
    [InlineData(PrivacyLevel.Record, PrivacyNoise.Gaussian)]
    [InlineData(PrivacyLevel.Record, PrivacyNoise.Laplace)]
    [InlineData(PrivacyLevel.Client, PrivacyNoise.Gaussian)]
    public async Task Job_WithPrivacy_ReportsEpsilonEachRoundWithinBudgetAndStillLearns(PrivacyLevel level, PrivacyNoise noise)
    {
        var parties = HorizontalFederationTests.Parties([1500, 2000, 1500], seed: 21);
        var plain = new HorizontalParameters { Rounds = 8, BatchSize = 100, LearningRate = 0.2, MinParticipants = 3, ValidationFraction = 0 };
        var pooled = Dataset.JoinRows(parties);
        double reference = Auc((await RunAsync(parties, plain)).Model, pooled);
        var privateParameters = plain with { Privacy = new PrivacySettings { Epsilon = 8, Level = level, Noise = noise } };
        var result = await RunAsync(parties, privateParameters);
        var spent = result.Rounds.Select(r => r.EpsilonSpent!.Value).ToArray();
        Assert.True(spent.Zip(spent.Skip(1)).All(p => p.First < p.Second), "ε grows every round");
        Assert.InRange(spent[^1], 7.9, 8.0);
        // the synthetic task is easy (AUC ≈ 0.9); ε = 8 keeps most of it (client level with 3 clients is far noisier)
        Assert.InRange(Auc(result.Model, pooled), reference - (level == PrivacyLevel.Client ? 0.25 : 0.03), 1.0);
        // and the noise is real: a second run from the same seed gives another model
        var again = await RunAsync(parties, privateParameters);
        Assert.NotEqual(result.Model.Weights, again.Model.Weights);
    }

    [Theory]
    [InlineData(HorizontalMode.FedAsync)]
    [InlineData(HorizontalMode.FedBuff)]
    public async Task AsyncJob_RecordLevel_EachClientTrainsAtMostRoundsTimesAndEpsilonStaysWithinBudget(HorizontalMode mode)
    {
        var parties = HorizontalFederationTests.Parties([600, 900, 600], seed: 23);
        var parameters = new HorizontalParameters
        {
            Rounds = 5, BatchSize = 50, LearningRate = 0.2, MinParticipants = 3, ValidationFraction = 0, Mode = mode,
            Async = new AsyncSettings { StalenessBound = 20, Buffer = 2 }, Privacy = new PrivacySettings { Epsilon = 4 },
        };
        var names = new[] { "bank0", "bank1", "bank2" };
        var federation = new InMemoryFederation([.. names, "arbiter"], Bound);
        using var cts = new CancellationTokenSource(Bound);
        var arbiter = HorizontalArbiters.RunAsync(federation.Channel("arbiter", "ad"), names, parameters, ct: cts.Token);
        // bank0 is fast, the others take 20 ms per update: without the cap bank0 would train far more than 5 times.
        var clients = parties.Select((d, i) => new HorizontalClient(federation.Channel(names[i], "ad"), "arbiter", parameters, d)
        {
            BeforeUpdate = i == 0 ? null : (_, ct) => Task.Delay(20, ct),
        }.RunAsync(cts.Token)).ToArray();
        var result = await arbiter;
        var done = await Task.WhenAll(clients);
        Assert.All(done, c => Assert.Equal(5, c.Updates));
        var spent = result.Rounds.Select(r => r.EpsilonSpent!.Value).ToArray();
        Assert.True(spent.Zip(spent.Skip(1)).All(p => p.First <= p.Second), "ε never falls");
        Assert.InRange(spent[^1], 3.0, 4.0);
        Assert.All(done, c => Assert.Equal(result.Model.Weights, c.Model.Weights));
    }

    [Fact]
    public async Task Job_BudgetUnreachable_IsRefusedBeforeRoundOneAtEveryParty()
    {
        var parties = HorizontalFederationTests.Parties([200, 200], seed: 22);
        var parameters = new HorizontalParameters { Rounds = 50, BatchSize = 200, MinParticipants = 2, Privacy = new PrivacySettings { Epsilon = 0.01 } };
        var federation = new InMemoryFederation(["bank0", "bank1", "arbiter"], Bound);
        var arbiter = new HorizontalArbiter(federation.Channel("arbiter", "r"), ["bank0", "bank1"], parameters).RunAsync();
        var clients = parties.Select((d, i) => new HorizontalClient(federation.Channel($"bank{i}", "r"), "arbiter", parameters, d).RunAsync()).ToArray();
        var error = await Assert.ThrowsAsync<HorizontalJobException>(() => arbiter);
        Assert.Contains("privacy.epsilon", error.Message);
        foreach (var client in clients)
            Assert.Equal(error.Message, (await Assert.ThrowsAsync<HorizontalJobException>(() => client)).Message);
    }
}
