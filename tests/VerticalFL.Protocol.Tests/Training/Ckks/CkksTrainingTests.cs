using VerticalFL.Ml.Data;
using VerticalFL.Ml.Optimization;
using VerticalFL.Ml.Training;
using VerticalFL.Protocol.Training;

namespace VerticalFL.Protocol.Tests.Training.Ckks;

/// <summary>
/// CKKS hetero LR (N = 8192, {60,60,60}) against the Paillier path on the same data, start and schedule. The runs
/// differ only in how values are encrypted and released, so their losses and weights must agree to the precision
/// of the encodings (CKKS: Δ_d = 2^50, Δ_x = 2^40; Paillier: 24-bit values) plus the flooding noise.
/// </summary>
public class CkksTrainingTests
{
    private static HeteroLrParameters Parameters() => new()
    {
        Epochs = 3, BatchSize = -1, LearningRate = 0.15, Optimizer = OptimizerKind.Rmsprop, Penalty = PenaltyKind.L2, Alpha = 0.01,
        Init = InitKind.RandomUniform, Seed = 5, EarlyStop = EarlyStopKind.Diff, Tol = 0,
    };

    private static double[] Weights(LrFederation.Outcome outcome) =>
        [.. outcome.Guest.Weights, outcome.Guest.Intercept, .. outcome.Hosts.SelectMany(h => h.Weights)];

    /// <summary>
    /// With a near-zero flooding bound (log₂ t = 0: σ ≈ 2^20, i.e. 2^−58 of a slot sum) the remaining difference is the
    /// encodings'; the loss per epoch agrees within 1e-4 (the bound) and the weights within 1e-3.
    /// </summary>
    [Fact]
    public async Task TrainAsync_OneHost_MatchesPaillierLossAndWeights()
    {
        var (guest, hosts) = LrFederation.Data(300, 3, [4]);
        var paillier = await LrFederation.RunAsync(Parameters(), guest, hosts);
        var ckks = await LrFederation.RunAsync(Parameters() with { Encryption = EncryptionScheme.Ckks, CkksNoiseBits = 0 }, guest, hosts);

        var expected = paillier.Arbiter.Losses;
        Assert.Equal(3, expected.Count);
        Assert.Equal(expected.Count, ckks.Arbiter.Losses.Count);
        for (int e = 0; e < expected.Count; e++)
            Assert.True(Math.Abs(expected[e] - ckks.Arbiter.Losses[e]) < 1e-4, $"epoch {e}: CKKS loss {ckks.Arbiter.Losses[e]:F7}, Paillier {expected[e]:F7}");
        AssertClose(Weights(paillier), Weights(ckks), 1e-3);
    }

    [Fact]
    public async Task TrainAsync_TwoHosts_MatchesPaillierWeights()
    {
        var (guest, hosts) = LrFederation.Data(240, 2, [2, 3]);
        var parameters = Parameters() with { EarlyStop = EarlyStopKind.WeightDiff, Epochs = 2 };
        var paillier = await LrFederation.RunAsync(parameters, guest, hosts);
        var ckks = await LrFederation.RunAsync(parameters with { Encryption = EncryptionScheme.Ckks, CkksNoiseBits = 0 }, guest, hosts);
        Assert.Equal(2 + 1 + 2 + 3, Weights(ckks).Length);
        AssertClose(Weights(paillier), Weights(ckks), 1e-3);
        Assert.Equal(2, ckks.GuestObserver.Epochs.Count);
    }

    /// <summary>
    /// At the default flooding (log₂ t = 54, τ = the job's 3·(4 + 4 + 1) = 27 releases): σ = √(12·27)·2^15·2^54 ≈ 2^77.2,
    /// i.e. a slot-sum error of σ/2^78 ≈ 0.57 standard deviation; on a loss over 300 rows that is 1.9e-3 per epoch, so
    /// 6σ = 0.0115 bounds the difference, and the flooding must show (not all differences below 1e-6).
    /// </summary>
    [Fact]
    public async Task TrainAsync_DefaultFlooding_StaysWithinItsNoise()
    {
        var (guest, hosts) = LrFederation.Data(300, 3, [4]);
        var exact = await LrFederation.RunAsync(Parameters() with { Encryption = EncryptionScheme.Ckks, CkksNoiseBits = 0 }, guest, hosts);
        var flooded = await LrFederation.RunAsync(Parameters() with { Encryption = EncryptionScheme.Ckks }, guest, hosts);
        var differences = exact.Arbiter.Losses.Zip(flooded.Arbiter.Losses, (a, b) => Math.Abs(a - b)).ToArray();
        Assert.All(differences, d => Assert.True(d < 0.0115, $"loss differs by {d:G3}"));
        Assert.Contains(differences, d => d > 1e-6);
    }

    [Fact]
    public async Task TrainAsync_OverBudget_RefusedWithTheNumbersEverywhere()
    {
        var (guest, hosts) = LrFederation.Data(200, 3, [4]);
        var parameters = Parameters() with { Encryption = EncryptionScheme.Ckks, CkksMaxReleases = 20 };
        var e = await Assert.ThrowsAsync<BadInputException>(() => LrFederation.RunAsync(parameters, guest, hosts));
        // 3 epochs × 1 batch × (guest 3 + intercept + host 4 + loss 1) = 27 > 20.
        Assert.Contains("27", e.Message);
        Assert.Contains("ckks_max_releases = 20", e.Message);
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int j = 0; j < expected.Length; j++)
            Assert.True(Math.Abs(expected[j] - actual[j]) < tolerance, $"weight {j}: CKKS {actual[j]:F6}, Paillier {expected[j]:F6}");
    }
}
