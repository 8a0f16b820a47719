using Google.Protobuf;
using VerticalFL.Contracts.V1;
using VerticalFL.Ml.Optimization;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Training;

namespace VerticalFL.Protocol.Tests.Training;

/// <summary>
/// Issue 10 finding 7: an arbiter holding a guessed customer list must not be able to confirm it against an
/// unsalted digest of the training ids. Every message the guest and the host send the arbiter in a real
/// training run is searched for the SHA-256 of the id list (and of the validation ids).
/// </summary>
[Trait("Category", "Attack")]
public class ArbiterIdDigestTests
{
    [Fact]
    public async Task TrainAsync_EveryMessageToTheArbiter_CarriesNoDigestOfTheIds()
    {
        var (guest, hosts) = LrFederation.Data(64, 2, [2]);
        var parameters = new HeteroLrParameters { Epochs = 1, BatchSize = -1, Optimizer = OptimizerKind.Sgd, Tol = 0 }.ForTestKey();
        var roles = LrFederation.Roles(1);
        var federation = new InMemoryFederation(["guest", "host0", "arbiter"], TimeSpan.FromSeconds(60));
        var toArbiter = new List<IMessage>();
        using var cancel = new CancellationTokenSource(LrFederation.Timeout);
        await Task.WhenAll(
            new GuestTrainer(new SpyChannel(federation.Channel("guest", "j"), "arbiter", toArbiter), roles, parameters, guest).TrainAsync(cancel.Token),
            new HostTrainer(new SpyChannel(federation.Channel("host0", "j"), "arbiter", toArbiter), roles, parameters, hosts[0], policy: LrFederation.SmallDataHost).TrainAsync(cancel.Token),
            new ArbiterTrainer(federation.Channel("arbiter", "j"), roles, parameters, null, null, LrFederation.Key).TrainAsync(cancel.Token))
            .WaitAsync(LrFederation.Timeout);

        // The attacker's check: SHA-256 over the id list exactly as the parties compute it (Wire.Digest), then a
        // search of every byte the arbiter received.
        byte[] digest = Wire.Digest(guest.Ids).ToByteArray();
        byte[] emptyDigest = Wire.Digest([]).ToByteArray();
        Assert.Contains(toArbiter, m => m is TrainingStart);
        foreach (var message in toArbiter)
        {
            byte[] bytes = message.ToByteArray();
            Assert.False(bytes.AsSpan().IndexOf(digest) >= 0, $"{message.Descriptor.Name} carries the digest of the training ids");
            Assert.False(bytes.AsSpan().IndexOf(emptyDigest) >= 0, $"{message.Descriptor.Name} carries a validation-id digest");
        }
    }
}
