using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.Encoding;
using VerticalFL.Crypto.Paillier;
using VerticalFL.Ml.Data;
using VerticalFL.Ml.Optimization;
using VerticalFL.Ml.Preprocessing;
using VerticalFL.Ml.Training;
using VerticalFL.Protocol.Training;

namespace VerticalFL.Protocol.Tests.Training;

/// <summary>
/// The federated protocol against the centralised plaintext reference. Tolerance: features are
/// quantised to 10 fractional bits (error ≤ 2⁻¹¹ per value) and residuals to 24, so the weights
/// drift from the unquantised reference by ~1e-4 over a few epochs (measured); 2e-3 absolute is
/// far below the weights' size (≈ 0.3–1.5) yet catches any wrong sign, scale, batch or step.
/// </summary>
public class HeteroLrTrainingTests
{
    private const double WeightTolerance = 2e-3;

    private static HeteroLrParameters Parameters(OptimizerKind optimizer = OptimizerKind.Rmsprop, PenaltyKind penalty = PenaltyKind.L2) => new()
    {
        Epochs = 3, BatchSize = 64, LearningRate = 0.1, Optimizer = optimizer, Penalty = penalty, Alpha = 0.01,
        Init = InitKind.RandomUniform, Seed = 5, EarlyStop = EarlyStopKind.Diff, Tol = 0,
    };

    private static void AssertMatchesReference(ReferenceResult reference, LrFederation.Outcome outcome)
    {
        var federated = outcome.Guest.Weights.Concat(outcome.Hosts.SelectMany(h => h.Weights)).ToArray();
        Assert.Equal(reference.Weights.Length, federated.Length);
        for (int j = 0; j < federated.Length; j++)
            Assert.True(Math.Abs(reference.Weights[j] - federated[j]) < WeightTolerance,
                $"weight {j}: federated {federated[j]:F5}, reference {reference.Weights[j]:F5}");
        Assert.True(Math.Abs(reference.Intercept - outcome.Guest.Intercept) < WeightTolerance,
            $"intercept: federated {outcome.Guest.Intercept:F5}, reference {reference.Intercept:F5}");
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd)]
    [InlineData(OptimizerKind.Momentum)]
    [InlineData(OptimizerKind.Nesterov)]
    [InlineData(OptimizerKind.Adagrad)]
    [InlineData(OptimizerKind.Rmsprop)]
    [InlineData(OptimizerKind.Adam)]
    public async Task TrainAsync_EachOptimizer_MatchesPlaintextReference(OptimizerKind optimizer)
    {
        var (guest, hosts) = LrFederation.Data(192, 3, [4]);
        var parameters = Parameters(optimizer);
        var outcome = await LrFederation.RunAsync(parameters, guest, hosts);
        var reference = LrFederation.Reference(guest, hosts, parameters);
        AssertMatchesReference(reference, outcome);
        Assert.Equal(reference.EpochLosses.Count, outcome.Arbiter.Losses.Count);
        for (int e = 0; e < reference.EpochLosses.Count; e++)
            Assert.Equal(reference.EpochLosses[e], outcome.Arbiter.Losses[e], 2);
    }

    [Theory]
    [InlineData(PenaltyKind.None)]
    [InlineData(PenaltyKind.L1)]
    [InlineData(PenaltyKind.L2)]
    public async Task TrainAsync_EachPenalty_MatchesPlaintextReference(PenaltyKind penalty)
    {
        var (guest, hosts) = LrFederation.Data(160, 2, [3]);
        var parameters = Parameters(OptimizerKind.Sgd, penalty) with { Alpha = 0.2, LearningRate = 0.3 };
        var outcome = await LrFederation.RunAsync(parameters, guest, hosts);
        AssertMatchesReference(LrFederation.Reference(guest, hosts, parameters), outcome);
    }

    [Fact]
    public async Task TrainAsync_LossReachesGuestOnly_AndEqualsReferenceLoss()
    {
        var (guest, hosts) = LrFederation.Data(128, 2, [2]);
        var parameters = Parameters() with { BatchSize = -1 };
        var outcome = await LrFederation.RunAsync(parameters, guest, hosts);
        var reference = LrFederation.Reference(guest, hosts, parameters);
        var guestLosses = outcome.GuestObserver.Epochs.Select(e => e.Loss!.Value).ToArray();
        Assert.Equal(reference.EpochLosses.Count, guestLosses.Length);
        for (int e = 0; e < guestLosses.Length; e++)
            Assert.Equal(reference.EpochLosses[e], guestLosses[e], 3);
    }

    [Fact]
    public async Task TrainAsync_TwoHostsWeightDiff_MatchesPlaintextReference()
    {
        var (guest, hosts) = LrFederation.Data(192, 2, [3, 2]);
        var parameters = Parameters(OptimizerKind.Adam) with { EarlyStop = EarlyStopKind.WeightDiff, Tol = 1e-9 };
        var outcome = await LrFederation.RunAsync(parameters, guest, hosts);
        AssertMatchesReference(LrFederation.Reference(guest, hosts, parameters), outcome);
        Assert.Empty(outcome.Arbiter.Losses);
        Assert.All(outcome.GuestObserver.Epochs, e => Assert.Null(e.Loss));
    }

    [Fact]
    public async Task TrainAsync_ArbiterStepsMode_MatchesPlaintextReference()
    {
        var (guest, hosts) = LrFederation.Data(192, 3, [2]);
        var parameters = Parameters(OptimizerKind.Adam) with { GradientMode = GradientMode.ArbiterSteps };
        var outcome = await LrFederation.RunAsync(parameters, guest, hosts);
        AssertMatchesReference(LrFederation.Reference(guest, hosts, parameters), outcome);
    }

    [Theory]
    [InlineData(GradientMode.Masked, false)]
    [InlineData(GradientMode.ArbiterSteps, true)]
    public async Task TrainAsync_GradientMode_ArbiterSeesGradientOnlyInArbiterStepsMode(GradientMode mode, bool seesGradient)
    {
        var (guest, hosts) = LrFederation.Data(128, 2, [2]);
        var parameters = Parameters(OptimizerKind.Sgd, PenaltyKind.None) with { BatchSize = -1, Epochs = 1, Init = InitKind.Zeros, GradientMode = mode };
        var outcome = await LrFederation.RunAsync(parameters, guest, hosts);

        // The guest's true first gradient, computed here in plaintext: zero weights give u = 0, so d = −½y.
        var scaled = StandardScaler.Fit(guest.Values, guest.Columns).Transform(guest.Values);
        var expected = Enumerable.Range(0, guest.Columns + 1).Select(c => Enumerable.Range(0, guest.Rows).Average(r =>
            -0.5 * TaylorLogistic.Signed(guest.Labels![r]) * (c < guest.Columns ? scaled[r * guest.Columns + c] : 1.0))).ToArray();

        var sent = outcome.ToArbiter.OfType<EncryptedVector>().First();
        var decryptor = new PaillierDecryptor(LrFederation.Key);
        var seen = Ciphertext.Unpack(LrFederation.Key.PublicKey, sent.Ciphertexts.Span)
            .Select(c => FixedPoint.Decode(decryptor.Decrypt(c), sent.FractionalBits) / (4.0 * sent.BatchRows)).ToArray();
        for (int j = 0; j < expected.Length; j++)
            Assert.Equal(seesGradient, Math.Abs(seen[j] - expected[j]) < 1e-2);
    }

    [Theory]
    [InlineData(GradientMode.Masked)]
    [InlineData(GradientMode.ArbiterSteps)]
    public async Task TrainAsync_ResumedFromCheckpoint_EndsWithSameWeightsAsUninterrupted(GradientMode mode)
    {
        var (guest, hosts) = LrFederation.Data(128, 2, [2]);
        var parameters = Parameters(OptimizerKind.Adam) with { Epochs = 4, GradientMode = mode };
        var uninterrupted = await LrFederation.RunAsync(parameters, guest, hosts);
        var firstHalf = await LrFederation.RunAsync(parameters with { Epochs = 2 }, guest, hosts);
        var resumed = await LrFederation.RunAsync(parameters, guest, hosts, resume: firstHalf.Checkpoints);

        Assert.Equal(2, resumed.GuestObserver.Epochs.Count);
        Assert.Equal(uninterrupted.Guest.Weights, resumed.Guest.Weights, (a, b) => Math.Abs(a - b) < 1e-9);
        Assert.Equal(uninterrupted.Hosts[0].Weights, resumed.Hosts[0].Weights, (a, b) => Math.Abs(a - b) < 1e-9);
        Assert.Equal(uninterrupted.Guest.Intercept, resumed.Guest.Intercept, 9);
    }

    [Fact]
    public async Task TrainAsync_WithValidationSet_ReportsMetricsToGuest()
    {
        var (guest, hosts) = LrFederation.Data(256, 2, [3]);
        var (validGuest, validHosts) = LrFederation.Data(100, 2, [3], seed: 99);
        var parameters = Parameters() with { ValidationFreq = 2, Epochs = 3 };
        var outcome = await LrFederation.RunAsync(parameters, guest, hosts, validGuest, validHosts);
        var epochs = outcome.GuestObserver.Epochs;
        Assert.Null(epochs[0].Validation);
        Assert.NotNull(epochs[1].Validation);
        Assert.InRange(epochs[2].Validation!.Auc, 0.7, 1.0);
        Assert.Equal(3, outcome.GuestObserver.Summary!.EpochsRun);
        Assert.True(outcome.GuestObserver.Batches.All(b => b.BytesSent > 0));
    }

    [Fact]
    public async Task TrainAsync_ArbiterCheckpointFromAnotherEpoch_RefusedByTheArbiter()
    {
        var (guest, hosts) = LrFederation.Data(128, 2, [2]);
        var parameters = (Parameters() with { Epochs = 3, GradientMode = GradientMode.ArbiterSteps }).ForTestKey();
        var checkpoints = (await LrFederation.RunAsync(parameters with { Epochs = 2 }, guest, hosts)).Checkpoints;
        var roles = LrFederation.Roles(1);
        var federation = new Channels.InMemoryFederation(["guest", "host0", "arbiter"], TimeSpan.FromSeconds(30));
        using var cancel = new CancellationTokenSource(LrFederation.Timeout);
        var olderArbiter = checkpoints["arbiter"] with { EpochsCompleted = 1 };   // as if it died an epoch earlier
        var guestTask = new GuestTrainer(federation.Channel("guest", "j"), roles, parameters, guest, null, checkpoints["guest"]).TrainAsync(cancel.Token);
        var hostTask = new HostTrainer(federation.Channel("host0", "j"), roles, parameters, hosts[0], null, checkpoints["host0"], policy: LrFederation.SmallDataHost).TrainAsync(cancel.Token);
        var arbiterTask = new ArbiterTrainer(federation.Channel("arbiter", "j"), roles, parameters, olderArbiter, null, LrFederation.Key).TrainAsync(cancel.Token);

        var e = await Assert.ThrowsAsync<BadInputException>(() => arbiterTask.WaitAsync(LrFederation.Timeout));
        Assert.Equal("resume: the guest resumes at epoch 2, the arbiter at 1.", e.Message);
        cancel.Cancel();   // in a deployment the guest's watchdog fails the job when the arbiter's side fails
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => guestTask.WaitAsync(LrFederation.Timeout));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hostTask.WaitAsync(LrFederation.Timeout));
    }

    [Fact]
    public async Task TrainAsync_HostWithOtherRowCount_RefusedOnEverySide()
    {
        var (guest, hosts) = LrFederation.Data(128, 2, [2]);
        var shortHost = new Dataset(hosts[0].Ids.Take(100).ToArray(), hosts[0].FeatureNames, hosts[0].Values[..200].ToArray());
        var roles = LrFederation.Roles(1);
        var federation = new Channels.InMemoryFederation(["guest", "host0", "arbiter"], TimeSpan.FromSeconds(30));
        var parameters = Parameters().ForTestKey();
        using var cancel = new CancellationTokenSource(LrFederation.Timeout);
        var guestTask = new GuestTrainer(federation.Channel("guest", "j"), roles, parameters, guest).TrainAsync(cancel.Token);
        var hostTask = new HostTrainer(federation.Channel("host0", "j"), roles, parameters, shortHost, policy: LrFederation.SmallDataHost).TrainAsync(cancel.Token);
        var arbiterTask = new ArbiterTrainer(federation.Channel("arbiter", "j"), roles, parameters, null, null, LrFederation.Key).TrainAsync(cancel.Token);

        var e = await Assert.ThrowsAsync<BadInputException>(() => guestTask.WaitAsync(LrFederation.Timeout));
        Assert.Contains("rows: the guest has 128 training rows, this host 100", e.Message);
        await Assert.ThrowsAsync<BadInputException>(() => hostTask.WaitAsync(LrFederation.Timeout));
        await Assert.ThrowsAsync<BadInputException>(() => arbiterTask.WaitAsync(LrFederation.Timeout));
    }

    [Fact]
    public async Task TrainAsync_ArbiterKeyWeakerThanKeyBits_RefusedByGuestAndHostNamingTheArbiter()
    {
        var (guest, hosts) = LrFederation.Data(128, 2, [2]);
        var roles = LrFederation.Roles(1);
        var federation = new Channels.InMemoryFederation(["guest", "host0", "arbiter"], TimeSpan.FromSeconds(30));
        var parameters = Parameters();   // key_bits 2048; the arbiter below uses the 1024-bit test key
        using var cancel = new CancellationTokenSource(LrFederation.Timeout);
        var guestTask = new GuestTrainer(federation.Channel("guest", "j"), roles, parameters, guest).TrainAsync(cancel.Token);
        var hostTask = new HostTrainer(federation.Channel("host0", "j"), roles, parameters, hosts[0], policy: LrFederation.SmallDataHost).TrainAsync(cancel.Token);
        _ = new ArbiterTrainer(federation.Channel("arbiter", "j"), roles, parameters, null, null, LrFederation.Key).TrainAsync(cancel.Token);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => guestTask.WaitAsync(LrFederation.Timeout));
        Assert.Equal("Arbiter 'arbiter' sent a 1024-bit Paillier key; the job's key_bits is 2048.", e.Message);
        var h = await Assert.ThrowsAsync<InvalidOperationException>(() => hostTask.WaitAsync(LrFederation.Timeout));
        Assert.Contains("1024-bit Paillier key", h.Message);
        cancel.Cancel();
    }
}
