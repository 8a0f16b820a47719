using VerticalFL.Contracts.V1;
using VerticalFL.Ml.Data;
using VerticalFL.Ml.Optimization;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Training;

namespace VerticalFL.Protocol.Tests.Training;

/// <summary>
/// Issue 10, findings 1 and 4: the host's own limits on what a guest's job may ask: the batch floor (its
/// configuration, not the job's), batches the guest's gradient could solve, and validation snapshots.
/// </summary>
[Trait("Category", "Attack")]
public class HostLimitsAttackTests
{
    private static HeteroLrParameters Parameters(int batch) => new()
    {
        Epochs = 1, BatchSize = batch, Optimizer = OptimizerKind.Sgd, Seed = 5, Tol = 0, ValidationFreq = 1,
    };

    [Fact]
    public async Task TrainAsync_BatchBelowFloorWithDefaultHostPolicy_RefusedNamingHostAndSetting()
    {
        var (guest, hosts) = LrFederation.Data(400, 2, [3]);
        var e = await Assert.ThrowsAsync<BadInputException>(() =>
            LrFederation.RunAsync(Parameters(200), guest, hosts, hostPolicy: HostTrainingPolicy.Default));
        Assert.Contains("batches of 200 rows are below host 'host0''s floor of 256 rows", e.Message);
        Assert.Contains("allow_small_batches off in its party configuration", e.Message);
    }

    [Fact]
    public async Task TrainAsync_BatchAtTheFloor_AcceptedByDefaultHostPolicy()
    {
        var (guest, hosts) = LrFederation.Data(512, 2, [3]);
        var outcome = await LrFederation.RunAsync(Parameters(256), guest, hosts, hostPolicy: HostTrainingPolicy.Default);
        Assert.Equal(2, outcome.GuestObserver.Batches.Count);
    }

    /// <summary>The floor is the host's: a job cannot carry allow_small_batches at all.</summary>
    [Fact]
    public void FromJson_AllowSmallBatches_IsNoJobParameter()
    {
        var e = Assert.Throws<ArgumentException>(() => HeteroLrParameters.FromJson("""{"allow_small_batches": true}"""));
        Assert.Contains("allow_small_batches", e.Message);
    }

    /// <summary>B ≤ 2·(k_g + 1): the guest's k_g + 1 gradient equations could pin the host's B scores; refused even when small batches are allowed.</summary>
    [Fact]
    public async Task TrainAsync_BatchAtMostTwiceGuestFeaturesPlusOne_RefusedEvenWhenSmallBatchesAllowed()
    {
        var (guest, hosts) = LrFederation.Data(48, 5, [3]);
        var e = await Assert.ThrowsAsync<BadInputException>(() => LrFederation.RunAsync(Parameters(12), guest, hosts));
        Assert.Contains("batches of 12 rows do not exceed 2 × (the guest's 5 features + 1) = 12", e.Message);
        var accepted = await LrFederation.RunAsync(Parameters(16), guest, hosts);
        Assert.Equal(3, accepted.GuestObserver.Batches.Count);
    }

    /// <summary>Honest guest: with k_h = 3 features and 6 epochs at validation_freq 1, at most 2 snapshots reach it.</summary>
    [Fact]
    public async Task TrainAsync_ValidationEveryEpoch_FewerSnapshotsThanHostFeaturesReachTheGuest()
    {
        var (guest, hosts) = LrFederation.Data(128, 2, [3]);
        var (validGuest, validHosts) = LrFederation.Data(64, 2, [3], seed: 99);
        var outcome = await LrFederation.RunAsync(Parameters(-1) with { Epochs = 6 }, guest, hosts, validGuest, validHosts);
        var validated = outcome.GuestObserver.Epochs.Where(e => e.Validation is not null).Select(e => e.Epoch + 1).ToArray();
        Assert.Equal([3, 6], validated);   // every 3 epochs: ⌈6/3⌉ = 2 < 3 snapshots
    }

    /// <summary>A deviating guest asks for validation scores every epoch; the host refuses before sending any.</summary>
    [Fact]
    public async Task HostTrainer_GuestAsksForTooManyValidationSnapshots_Refused()
    {
        var (guest, hosts) = LrFederation.Data(128, 2, [3]);
        var (validGuest, validHosts) = LrFederation.Data(64, 2, [3], seed: 99);
        var parameters = (Parameters(-1) with { Epochs = 4 }).ForTestKey();
        var federation = new InMemoryFederation(["guest", "host0", "arbiter"], TimeSpan.FromSeconds(30));
        using var cancel = new CancellationTokenSource(LrFederation.Timeout);
        var hostTask = new HostTrainer(federation.Channel("host0", "j"), LrFederation.Roles(1), parameters, hosts[0], validHosts[0],
            policy: LrFederation.SmallDataHost).TrainAsync(cancel.Token);
        var curious = federation.Channel("guest", "j");
        await curious.SendAsync("host0", new TrainingStart
        {
            Seed = parameters.Seed, Rows = guest.Rows, IdsDigest = Wire.Digest(guest.Ids), GuestFeatures = guest.Columns,
            ValidationRows = validGuest.Rows, ValidationIdsDigest = Wire.Digest(validGuest.Ids),
        }, cancel.Token);
        var ready = await curious.ReceiveAsync<TrainingReady>("host0", cancel.Token);
        Assert.Equal("", ready.Error);
        await curious.SendAsync("host0", new TrainingReady { ValidationEvery = 1 }, cancel.Token);

        var e = await Assert.ThrowsAsync<BadInputException>(() => hostTask.WaitAsync(LrFederation.Timeout));
        Assert.StartsWith("validation: validating every 1 epochs over 4 would give the guest 4 snapshots of host 'host0''s scores", e.Message);
    }

    [Theory]
    [InlineData(10, 1, 3, 5)]    // ⌈10/5⌉ = 2 ≤ 3 − 1
    [InlineData(10, 1, 20, 1)]   // 10 snapshots < 20 features: validation_freq kept
    [InlineData(10, 4, 2, 10)]   // k_h = 2: only the final snapshot
    [InlineData(10, 0, 3, 0)]    // never
    public void ValidationPlan_Every_WidensUntilFewerSnapshotsThanFeatures(int epochs, int frequency, int hostFeatures, int expected) =>
        Assert.Equal(expected, ValidationPlan.Every(new HeteroLrParameters { Epochs = epochs, ValidationFreq = frequency }, hostFeatures));
}
