using Google.Protobuf;
using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.Psi;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Psi;

namespace VerticalFL.Protocol.Tests.Psi;

public sealed class PsiProtocolTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly PsiOptions SmallBatches = new() { BatchSize = 7, Window = 2 };

    [Fact]
    public async Task RunAsync_PartialOverlap_BothSidesGetTheSetIntersectionSortedOrdinal()
    {
        var guest = Ids("g", 40).Concat(Ids("s", 25)).ToArray();
        var host = Ids("s", 25).Concat(Ids("h", 33)).Reverse().ToArray();

        var (g, h) = await RunPairAsync(guest, host, SmallBatches);

        var expected = guest.Intersect(host).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(25, expected.Length);
        Assert.Equal(expected, g.Ids);
        Assert.Equal(expected, h.Ids);
    }

    [Fact]
    public async Task RunAsync_Rows_PointBackToEachPartysOwnInput()
    {
        string[] guest = ["b", "x", "a", "c"];
        string[] host = ["c", "y", "a", "z", "b"];

        var (g, h) = await RunPairAsync(guest, host, SmallBatches);

        Assert.Equal(["a", "b", "c"], g.Ids);
        Assert.Equal([2, 0, 3], g.Rows);
        Assert.Equal([2, 4, 0], h.Rows);
    }

    [Fact]
    public async Task RunAsync_IdsDifferingOnlyInCaseSpaceOrNormalisation_AreDifferentIds()
    {
        // "é" precomposed (U+00E9) and decomposed (e + U+0301) are different byte strings, hence different ids.
        string[] guest = ["Alice", "bob", "carol ", "caf\u00e9", "日本-1", "emoji-😀"];
        string[] host = ["alice", "bob", "carol", "cafe\u0301", "日本-1", "emoji-😀"];

        var (g, h) = await RunPairAsync(guest, host, SmallBatches);

        Assert.Equal(["bob", "emoji-😀", "日本-1"], g.Ids);
        Assert.Equal(g.Ids, h.Ids);
    }

    [Fact]
    public async Task RunAsync_NoOverlap_BothSidesGetAnEmptyResult()
    {
        var (g, h) = await RunPairAsync(Ids("g", 20), Ids("h", 30), SmallBatches);
        Assert.Equal(0, g.Count);
        Assert.Equal(0, h.Count);
    }

    [Fact]
    public async Task RunAsync_FullOverlap_EverythingMatches()
    {
        var ids = Ids("x", 50);
        var (g, h) = await RunPairAsync(ids, ids.Reverse().ToArray(), SmallBatches);
        Assert.Equal(ids.Order(StringComparer.Ordinal), g.Ids);
        Assert.Equal(g.Ids, h.Ids);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(10, 0)]
    [InlineData(0, 0)]
    public async Task RunAsync_OneSideEmpty_BothSidesGetAnEmptyResult(int guestCount, int hostCount)
    {
        var (g, h) = await RunPairAsync(Ids("x", guestCount), Ids("x", hostCount), SmallBatches);
        Assert.Equal(0, g.Count);
        Assert.Equal(0, h.Count);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 1)]
    [InlineData(8, 3)]
    [InlineData(4096, 8)]
    public async Task RunAsync_BatchAndWindowSizes_DoNotChangeTheResult(int batchSize, int window)
    {
        var guest = Ids("a", 30).Concat(Ids("s", 14)).ToArray();
        var host = Ids("s", 14).Concat(Ids("b", 15)).ToArray();
        var (g, h) = await RunPairAsync(guest, host, new PsiOptions { BatchSize = batchSize, Window = window });
        Assert.Equal(Ids("s", 14).Order(StringComparer.Ordinal), g.Ids);
        Assert.Equal(g.Ids, h.Ids);
    }

    [Fact]
    public async Task RunAsync_ThreeHosts_EveryoneGetsTheIdsCommonToAll()
    {
        string[] guest = ["1", "2", "3", "4", "5", "6"];
        string[][] hosts = [["1", "2", "3", "4", "9"], ["2", "3", "4", "5", "8"], ["4", "3", "2", "7"]];
        var federation = new InMemoryFederation(["guest", "h0", "h1", "h2"], TimeSpan.FromSeconds(10));
        var guestRole = new PsiGuest(federation.Channel("guest", "job"), ["h0", "h1", "h2"], SmallBatches);
        var runs = hosts.Select((ids, i) => new PsiHost(federation.Channel($"h{i}", "job"), "guest").RunAsync(ids)).ToList();

        var g = await guestRole.RunAsync(guest).WaitAsync(Bound);
        var h = await Task.WhenAll(runs).WaitAsync(Bound);

        Assert.Equal(["2", "3", "4"], g.Ids);
        Assert.All(h, r => Assert.Equal(["2", "3", "4"], r.Ids));
        Assert.Equal([2, 1, 0], h[2].Rows);
    }

    [Fact]
    public async Task RunAsync_OneOfTwoHostsMisbehaves_GuestFailsNamingThatHost()
    {
        var federation = new InMemoryFederation(["guest", "good", "bad"], TimeSpan.FromSeconds(10));
        using var stopGood = new CancellationTokenSource();
        var goodRun = new PsiHost(federation.Channel("good", "job"), "guest").RunAsync(["a", "b"], stopGood.Token);
        var guestRun = new PsiGuest(federation.Channel("guest", "job"), ["good", "bad"], SmallBatches).RunAsync(["a", "b"]);
        var bad = federation.Channel("bad", "job");
        await bad.ReceiveAsync<PsiSetup>("guest").WaitAsync(Bound);
        await bad.SendAsync("guest", new PsiSetupReply { SetSize = -1 });

        var e = await Assert.ThrowsAsync<PsiFailedException>(() => guestRun.WaitAsync(Bound));
        Assert.Contains("'bad'", e.Message);
        stopGood.Cancel();
        await Assert.ThrowsAnyAsync<Exception>(() => goodRun.WaitAsync(Bound));
    }

    [Fact]
    public async Task RunAsync_DuplicateIds_ThrowsArgumentException()
    {
        var federation = new InMemoryFederation(["guest", "host"], TimeSpan.FromSeconds(5));
        var guest = new PsiGuest(federation.Channel("guest", "job"), ["host"]);
        await Assert.ThrowsAsync<ArgumentException>(() => guest.RunAsync(["a", "b", "a"]).WaitAsync(Bound));
    }

    [Fact]
    public async Task RunAsync_TwoJobs_SendFreshRandomSalts()
    {
        var salts = new List<ByteString>();
        for (int job = 0; job < 2; job++)
        {
            var federation = new InMemoryFederation(["guest", "host"], TimeSpan.FromSeconds(5));
            using var stop = new CancellationTokenSource();
            var run = new PsiGuest(federation.Channel("guest", "job"), ["host"]).RunAsync(["a"], stop.Token);
            var setup = await federation.Channel("host", "job").ReceiveAsync<PsiSetup>("guest").WaitAsync(Bound);
            salts.Add(setup.Salt);
            stop.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Bound));
        }
        Assert.Equal(32, salts[0].Length);
        Assert.NotEqual(salts[0], salts[1]);
    }

    [Fact]
    public async Task RunAsync_HostSendsAnInvalidPoint_GuestFailsBlamingTheHost()
    {
        var federation = new InMemoryFederation(["guest", "host"], TimeSpan.FromSeconds(10));
        var guestRun = new PsiGuest(federation.Channel("guest", "job"), ["host"]).RunAsync(["a", "b"]);
        var host = federation.Channel("host", "job");

        await host.ReceiveAsync<PsiSetup>("guest").WaitAsync(Bound);
        await host.SendAsync("guest", new PsiSetupReply { SetSize = 1 });
        var batch = await host.ReceiveAsync<PsiBlindedBatch>("guest").WaitAsync(Bound);
        await host.SendAsync("guest", new PsiDoubleBlindedBatch { Index = 0, Points = batch.Points });
        // 32 bytes that RFC 9496 A.2 lists as a non-canonical encoding.
        var bad = Convert.FromHexString("00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
        await host.SendAsync("guest", new PsiBlindedBatch { Index = 0, Points = ByteString.CopyFrom(bad) });

        var e = await Assert.ThrowsAsync<PsiFailedException>(() => guestRun.WaitAsync(Bound));
        Assert.Contains("'host'", e.Message);
    }

    [Fact]
    public async Task RunAsync_GuestNamesAPositionOutOfRange_HostFails()
    {
        var federation = new InMemoryFederation(["guest", "host"], TimeSpan.FromSeconds(10));
        var hostRun = new PsiHost(federation.Channel("host", "job"), "guest").RunAsync(["a"]);
        var guest = federation.Channel("guest", "job");

        await guest.SendAsync("host", new PsiSetup
        {
            Version = 1, Salt = ByteString.CopyFrom(new byte[32]), SetSize = 0, BatchSize = 4, Window = 1,
        });
        await guest.ReceiveAsync<PsiSetupReply>("host").WaitAsync(Bound);
        var own = await guest.ReceiveAsync<PsiBlindedBatch>("host").WaitAsync(Bound);
        Assert.Equal(32, own.Points.Length);
        await guest.SendAsync("host", new PsiBatchAck { Index = 0 });
        await guest.SendAsync("host", new PsiIntersectionChunk { Index = 0, Positions = { 5 }, Last = true });

        await Assert.ThrowsAsync<PsiFailedException>(() => hostRun.WaitAsync(Bound));
    }

    [Fact]
    public async Task RunAsync_HostReceivesBadSalt_Fails()
    {
        var federation = new InMemoryFederation(["guest", "host"], TimeSpan.FromSeconds(10));
        var hostRun = new PsiHost(federation.Channel("host", "job"), "guest").RunAsync(["a"]);
        await federation.Channel("guest", "job").SendAsync("host", new PsiSetup
        {
            Version = 1, Salt = ByteString.CopyFrom(new byte[5]), SetSize = 1, BatchSize = 4, Window = 1,
        });
        var e = await Assert.ThrowsAsync<PsiFailedException>(() => hostRun.WaitAsync(Bound));
        Assert.Contains("salt", e.Message);
    }

    [Fact]
    public async Task RunAsync_WithProgress_ReportsEveryIdOfBothStages()
    {
        var reports = new List<PsiProgress>();
        var progress = new SynchronousProgress(reports);
        var options = SmallBatches with { Progress = progress };
        await RunPairAsync(Ids("a", 20), Ids("a", 9), options);
        lock (reports)
        {
            Assert.Contains(new PsiProgress("host", PsiStage.OwnIds, 20, 20), reports);
            Assert.Contains(new PsiProgress("host", PsiStage.PeerIds, 9, 9), reports);
        }
    }

    [Fact]
    public Task RunAsync_BothPartiesOnLibsodium_FindTheIntersection() =>
        RunAsync_PartiesOnDifferentEngines_FindTheSameIntersection(ScalarMultEngine.Libsodium, ScalarMultEngine.Libsodium);

    [Avx512EngineTheory]
    [InlineData(ScalarMultEngine.Libsodium, ScalarMultEngine.Avx512)]
    [InlineData(ScalarMultEngine.Avx512, ScalarMultEngine.Libsodium)]
    public async Task RunAsync_PartiesOnDifferentEngines_FindTheSameIntersection(ScalarMultEngine guestEngine, ScalarMultEngine hostEngine)
    {
        var guest = Ids("g", 30).Concat(Ids("s", 21)).ToArray();
        var host = Ids("s", 21).Concat(Ids("h", 17)).ToArray();

        var (g, h) = await RunPairAsync(guest, host, SmallBatches with { Engine = guestEngine }, hostEngine);

        var expected = guest.Intersect(host).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, g.Ids);
        Assert.Equal(expected, h.Ids);
    }

    private static async Task<(PsiResult Guest, PsiResult Host)> RunPairAsync(
        string[] guestIds, string[] hostIds, PsiOptions options, ScalarMultEngine? hostEngine = null)
    {
        var federation = new InMemoryFederation(["guest", "host"], TimeSpan.FromSeconds(10));
        var guest = new PsiGuest(federation.Channel("guest", "job"), ["host"], options).RunAsync(guestIds);
        var host = new PsiHost(federation.Channel("host", "job"), "guest", engine: hostEngine).RunAsync(hostIds);
        return (await guest.WaitAsync(Bound), await host.WaitAsync(Bound));
    }

    private static string[] Ids(string prefix, int count) => Enumerable.Range(0, count).Select(i => $"{prefix}{i}").ToArray();

    private sealed class SynchronousProgress(List<PsiProgress> reports) : IProgress<PsiProgress>
    {
        public void Report(PsiProgress value)
        {
            lock (reports)
                reports.Add(value);
        }
    }
}
