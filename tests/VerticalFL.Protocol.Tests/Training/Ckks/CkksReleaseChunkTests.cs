using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.Ckks;
using VerticalFL.Ml.Data;
using VerticalFL.Ml.Optimization;
using VerticalFL.Ml.Training;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Training;

namespace VerticalFL.Protocol.Tests.Training.Ckks;

/// <summary>
/// A CKKS release request costs 131,088 bytes per gradient value whatever the batch size, so 300 host features made a
/// 39 MB message that the arbiter's transport refused. A party's request now goes in chunks of at most
/// <see cref="CkksWire.EntriesPerMessage"/> (31) values, ≤ 4 MiB each; the arbiter checks every chunk's place before
/// releasing any of it, so the key's release budget stays exactly what the job declared.
/// </summary>
public sealed class CkksReleaseChunkTests
{
    [Fact]
    public void EntriesPerMessage_AtTheJobsParameters_Is31_AndAFullChunkFitsIn4MiB()
    {
        var context = new CkksContext(CkksDefaults.Parameters());
        int perMessage = CkksWire.EntriesPerMessage(context);
        Assert.Equal(31, perMessage);   // ⌊(4 MiB − 64) / (2 · 8192 · 8 + 2 · 10)⌋
        // The largest possible chunk: every residue just below 2^60 (varints of 9 bytes), entries and indices near int.MaxValue.
        var message = CkksWire.Request(new byte[perMessage * 2 * 8192 * 8], Enumerable.Repeat((1UL << 60) - 1, perMessage * 2).ToArray(),
            perMessage, int.MaxValue, int.MaxValue - perMessage, int.MaxValue);
        Assert.InRange(message.CalculateSize(), perMessage * 131_072, CkksWire.MaxRequestBytes);
    }

    /// <summary>
    /// 40 guest features + intercept = 41 gradient values: chunks of 31 and 10 per batch, each ≤ 4 MiB, in order; the
    /// run still matches the Paillier one (weights within 1e-3, as <see cref="CkksTrainingTests"/> asks of one chunk).
    /// </summary>
    [Fact]
    public async Task TrainAsync_41GradientValues_GoInTwoBoundedChunksPerBatch_AndMatchPaillier()
    {
        var (guest, hosts) = LrFederation.Data(300, 40, [3]);
        var parameters = new HeteroLrParameters
        {
            Epochs = 2, BatchSize = 150, LearningRate = 0.15, Optimizer = OptimizerKind.Rmsprop, Penalty = PenaltyKind.L2, Alpha = 0.01,
            Init = InitKind.RandomUniform, Seed = 5, EarlyStop = EarlyStopKind.Diff, Tol = 0,
            Shuffle = BatchShuffle.Batches,   // CKKS's default; Paillier's is rows: the same batches for both runs
        };
        var paillier = await LrFederation.RunAsync(parameters, guest, hosts);
        var ckks = await LrFederation.RunAsync(parameters with { Encryption = EncryptionScheme.Ckks, CkksNoiseBits = 0 }, guest, hosts);

        var chunks = ckks.ToArbiter.OfType<CkksReleaseRequest>().ToArray();
        Assert.Equal(2 * 2 * 2, chunks.Length);   // 2 epochs × 2 batches × 2 chunks
        Assert.All(chunks, c => Assert.True(c.CalculateSize() <= CkksWire.MaxRequestBytes, $"a chunk of {c.CalculateSize():N0} bytes"));
        Assert.All(chunks, c => Assert.Equal(41, c.Total));
        Assert.Equal(Enumerable.Repeat(new[] { (0, 31), (31, 10) }, 4).SelectMany(p => p), chunks.Select(c => (c.First, c.Entries)));

        double[] Weights(LrFederation.Outcome o) => [.. o.Guest.Weights, o.Guest.Intercept, .. o.Hosts.SelectMany(h => h.Weights)];
        var expected = Weights(paillier);
        var actual = Weights(ckks);
        Assert.Equal(40 + 1 + 3, actual.Length);
        for (int j = 0; j < expected.Length; j++)
            Assert.True(Math.Abs(expected[j] - actual[j]) < 1e-3, $"weight {j}: CKKS {actual[j]:F6}, Paillier {expected[j]:F6}");
    }

    /// <summary>
    /// A party that declared 40 values tries for more releases, or for entries out of place, by shaping its chunks. The
    /// arbiter refuses each such chunk before releasing any of its entries: the budget shows only the releases of the
    /// chunks that were in place.
    /// </summary>
    [Theory]
    [Trait("Category", "Attack")]
    [InlineData(0, 31, 41, 0, "asked for 41")]        // the total is not its gradient length
    [InlineData(0, 32, 40, 0, "at most 31")]          // an oversized chunk
    [InlineData(31, 9, 40, 0, "entries [0, 31) were due")] // skips ahead
    [InlineData(31, 31, 40, 31, "entries [31, 40) were due")] // a second chunk running past the declared length
    public async Task ServeGradientAsync_AChunkOutOfPlace_IsRefusedBeforeAnyOfItsEntriesIsReleased(int first, int entries, int total,
        long releasedBefore, string reason)
    {
        var roles = new FederationRoles("guest", ["host"], "arbiter");
        var federation = new InMemoryFederation(["guest", "host", "arbiter"], TimeSpan.FromSeconds(60));
        var parameters = new HeteroLrParameters { Encryption = EncryptionScheme.Ckks, Epochs = 1, BatchSize = -1 };
        var start = new TrainingStart { Rows = 500, Seed = 1 };
        start.GradientLengths.Add(new Dictionary<string, int> { ["guest"] = 3, ["host"] = 40 });
        using var arbiter = await CkksArbiterServer.StartAsync(federation.Channel("arbiter", "job"), roles, parameters, start,
            start.GradientLengths, CancellationToken.None);
        var host = federation.Channel("host", "job");
        var session = CkksSession.From(await host.ReceiveAsync<CkksPublicKeyMessage>("arbiter", Step.None), parameters, "arbiter");
        var entry = Coefficient0Release.Split(session.Context, session.EncryptSlotSumTerm(1.5), masked: true).Request;
        var step = Step.Of(0, 0);

        var serving = arbiter.ServeGradientAsync("host", step, CancellationToken.None);
        if (releasedBefore > 0)
            await host.SendAsync("arbiter", Chunk(entry, 0, (int)releasedBefore, 40), step);
        await host.SendAsync("arbiter", Chunk(entry, first, entries, total), step);

        var e = await Assert.ThrowsAsync<BadInputException>(() => serving);
        Assert.Contains(reason, e.Message);
        Assert.Equal(releasedBefore, arbiter.Budget.Used);
    }

    private static CkksReleaseRequest Chunk(Coefficient0Request entry, int first, int entries, int total)
    {
        var message = CkksWire.Request(Enumerable.Repeat(entry, entries).ToArray(), 500);
        message.First = first;
        message.Total = total;
        return message;
    }
}
