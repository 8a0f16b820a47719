using System.Numerics;
using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.Paillier;
using VerticalFL.Ml.Optimization;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Training;

namespace VerticalFL.Protocol.Tests.Training;

public class ResidualPrivacyTests
{
    /// <summary>
    /// If the guest added its part u_g − 2y to the host's own [[u_h]] as a bare plaintext, the host could
    /// compute [[d]]·[[u_h]]⁻¹ = 1 + (u_g − 2y)·n mod n² and read the labels off it. The guest's part must be
    /// freshly encrypted, so that quotient is a random-looking residue, not ≡ 1 (mod n).
    /// </summary>
    [Fact]
    public async Task TrainAsync_HostDividesOutItsOwnScores_LearnsNothingInTheClear()
    {
        var (guest, hosts) = LrFederation.Data(64, 2, [2]);
        var parameters = new HeteroLrParameters { Epochs = 1, BatchSize = -1, Optimizer = OptimizerKind.Sgd, Tol = 0 }.ForTestKey();
        var roles = LrFederation.Roles(1);
        var federation = new InMemoryFederation(["guest", "host0", "arbiter"], TimeSpan.FromSeconds(60));
        var hostSent = new List<Google.Protobuf.IMessage>();
        var guestSent = new List<Google.Protobuf.IMessage>();
        using var cancel = new CancellationTokenSource(LrFederation.Timeout);
        await Task.WhenAll(
            new GuestTrainer(new SpyChannel(federation.Channel("guest", "j"), "host0", guestSent), roles, parameters, guest).TrainAsync(cancel.Token),
            new HostTrainer(new SpyChannel(federation.Channel("host0", "j"), "guest", hostSent), roles, parameters, hosts[0], policy: LrFederation.SmallDataHost).TrainAsync(cancel.Token),
            new ArbiterTrainer(federation.Channel("arbiter", "j"), roles, parameters, null, null, LrFederation.Key).TrainAsync(cancel.Token))
            .WaitAsync(LrFederation.Timeout);

        var key = LrFederation.Key.PublicKey;
        var own = Ciphertext.Unpack(key, hostSent.OfType<EncryptedVector>().First().Ciphertexts.Span);
        var residuals = Ciphertext.Unpack(key, guestSent.OfType<EncryptedVector>().First().Ciphertexts.Span);
        var evaluator = new PaillierEvaluator(key);
        var bytes = new byte[key.CiphertextBytes];
        int plainLooking = 0;
        for (int i = 0; i < own.Length; i++)
        {
            using var inverse = evaluator.Negate(own[i]);
            using var quotient = evaluator.Add(residuals[i], inverse);
            quotient.WriteTo(bytes);
            var value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
            plainLooking += (value - 1) % key.Modulus == 0 ? 1 : 0;
        }
        Assert.Equal(0, plainLooking);
    }
}
