using System.Numerics;
using Google.Protobuf;
using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.Paillier;
using VerticalFL.Ml.Data;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Training;

namespace VerticalFL.Protocol.Tests.Training;

/// <summary>
/// Issue 10, finding 3: a deviating party asks the real arbiter to decrypt what is not its masked gradient
/// (another party's residuals or scores, appended or in place of its gradient). The arbiter refuses.
/// </summary>
[Trait("Category", "Attack")]
public class ArbiterRangeAttackTests
{
    private const int Rows = 64;   // one full batch
    private static readonly HeteroLrParameters Parameters = new() { Epochs = 1, BatchSize = -1, Tol = 0 };
    private static readonly BigInteger Masked = BigInteger.One << 200;   // a plausible g + r: far above any gradient, below 2^256

    [Fact]
    public async Task ServeGradient_InRangeVector_DecryptedAndReturned()
    {
        var values = new[] { Masked + 1, Masked * 3 + 12345, (BigInteger.One << 255) + 7 };
        await using var arbiter = await FakeGuest.StartAsync();
        await arbiter.SendGradientAsync(values);
        var reply = await arbiter.Guest.ReceiveAsync<MaskedValues>("arbiter", Step.Of(0, 0)).WaitAsync(LrFederation.Timeout);
        Assert.Equal(values, reply.Values.Select(v => new BigInteger(v.Span)));
    }

    [Fact]
    public async Task ServeGradient_VectorLongerThanDeclared_Refused()
    {
        await using var arbiter = await FakeGuest.StartAsync();
        // Its 3 gradient entries followed by 64 residuals it wants to read.
        await arbiter.SendGradientAsync([.. Enumerable.Repeat(Masked, 3), .. Enumerable.Range(0, Rows).Select(i => (BigInteger)(i % 2 == 0 ? 3 : -3) << 24)]);
        var e = await Assert.ThrowsAsync<BadInputException>(() => arbiter.Task.WaitAsync(LrFederation.Timeout));
        Assert.StartsWith("Step e0/b0: party 'guest' sent 67 values for decryption; its gradient has 3", e.Message);
        await arbiter.AssertNoReplyAsync();
    }

    [Theory]
    [InlineData("-50331648")]        // an unmasked negative residual (−3 at 24 fractional bits)
    [InlineData("50331648")]         // an unmasked positive residual
    [InlineData("0")]
    [InlineData("2037035976334486086268445688409378161051468393665936250636140449354381299763336706183397376")]   // 2^300
    public async Task ServeGradient_PlaintextOutsideMaskedRange_Refused(string bad)
    {
        await using var arbiter = await FakeGuest.StartAsync();
        await arbiter.SendGradientAsync([Masked, BigInteger.Parse(bad), Masked]);
        var e = await Assert.ThrowsAsync<BadInputException>(() => arbiter.Task.WaitAsync(LrFederation.Timeout));
        Assert.Contains("party 'guest' sent a value outside the range of a masked gradient", e.Message);
        await arbiter.AssertNoReplyAsync();
    }

    /// <summary>Plays the guest against a real <see cref="ArbiterTrainer"/>: declares a 2-feature guest (3 with the intercept).</summary>
    private sealed class FakeGuest : IAsyncDisposable
    {
        private readonly CancellationTokenSource _cancel = new(LrFederation.Timeout);
        private PaillierPublicKey _key = null!;

        public IPartyChannel Guest { get; private set; } = null!;
        public Task Task { get; private set; } = null!;

        public static async Task<FakeGuest> StartAsync()
        {
            var fake = new FakeGuest();
            var federation = new InMemoryFederation(["guest", "host0", "arbiter"], TimeSpan.FromSeconds(30));
            fake.Task = new ArbiterTrainer(federation.Channel("arbiter", "j"), LrFederation.Roles(1), Parameters, null, null, LrFederation.Key)
                .TrainAsync(fake._cancel.Token);
            fake.Guest = federation.Channel("guest", "j");
            var key = await fake.Guest.ReceiveAsync<PaillierPublicKeyMessage>("arbiter", fake._cancel.Token);
            fake._key = PaillierPublicKey.Import(key.Key.Span);
            var start = new TrainingStart { Seed = 1, Rows = Rows, GuestFeatures = 2 };
            start.GradientLengths["guest"] = 3;
            start.GradientLengths["host0"] = 3;
            await fake.Guest.SendAsync("arbiter", start, fake._cancel.Token);
            return fake;
        }

        public async Task SendGradientAsync(BigInteger[] plaintexts)
        {
            var ciphertexts = new PaillierEncryptor(_key).EncryptBatch(plaintexts);
            var message = new EncryptedVector { Ciphertexts = ByteString.CopyFrom(Ciphertext.Pack(ciphertexts)), FractionalBits = 34, BatchRows = Rows };
            await Guest.SendAsync("arbiter", message, Step.Of(0, 0), _cancel.Token);
        }

        /// <summary>The refused party hears nothing back within a second.</summary>
        public async Task AssertNoReplyAsync()
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Guest.ReceiveAsync<MaskedValues>("arbiter", Step.Of(0, 0), wait.Token));
        }

        public ValueTask DisposeAsync()
        {
            _cancel.Cancel();
            _cancel.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
