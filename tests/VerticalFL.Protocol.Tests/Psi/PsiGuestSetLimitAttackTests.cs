using Google.Protobuf;
using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.Psi;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Psi;

namespace VerticalFL.Protocol.Tests.Psi;

/// <summary>
/// Issue 10 finding 2: a guest that runs PSI on an arbitrarily large set of candidate ids enumerates the host's
/// customers. The host answers at most policy.max_guest_set_ratio × its own set, checked before any work.
/// </summary>
public sealed class PsiGuestSetLimitAttackTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly PsiGuestSetLimit Limit = new(10, "policy.max_guest_set_ratio");

    [Fact]
    [Trait("Category", "Attack")]
    public async Task OversizedGuestSet_IsRefusedWithThePolicyNamed_AndTheHostDoesNoPsiWork()
    {
        var hostIds = Ids("c", 100);
        var guestIds = Ids("c", 1_001);   // one more than 10 × 100: enumerating candidates
        var federation = new InMemoryFederation(["guest", "host"], Bound);
        var hostChannel = new SpyChannel(federation.Channel("host", "j"));
        var hostProgress = new List<PsiProgress>();

        var host = new PsiHost(hostChannel, "guest", new SyncProgress(hostProgress), limit: Limit).RunAsync(hostIds);
        var guest = new PsiGuest(federation.Channel("guest", "j"), ["host"], new PsiOptions { BatchSize = 64, Window = 2 }).RunAsync(guestIds);

        var refused = await Assert.ThrowsAsync<PsiRefusedException>(() => guest.WaitAsync(Bound));
        Assert.Equal("host refused the job: guest set 1,001 ids exceeds policy.max_guest_set_ratio 10 × 100", refused.Message);
        var hostError = await Assert.ThrowsAsync<PsiRefusedException>(() => host.WaitAsync(Bound));
        Assert.Contains("policy.max_guest_set_ratio", hostError.Message);
        // The host sent only its refusal: no double-blinded guest point, none of its own blinded ids, no progress.
        var sent = Assert.Single(hostChannel.Sent);
        Assert.Equal("guest set 1,001 ids exceeds policy.max_guest_set_ratio 10 × 100", Assert.IsType<PsiSetupReply>(sent.Message).Refused);
        Assert.Equal(0, Assert.IsType<PsiSetupReply>(sent.Message).SetSize);
        Assert.Empty(hostProgress);
    }

    [Fact]
    [Trait("Category", "Attack")]
    public async Task GuestUnderDeclaringItsSet_IsCaughtAtTheFirstBatch_BeforeAnyPointIsMultiplied()
    {
        var federation = new InMemoryFederation(["guest", "host"], Bound);
        var hostChannel = new SpyChannel(federation.Channel("host", "j"));
        var guest = federation.Channel("guest", "j");
        var host = new PsiHost(hostChannel, "guest", limit: Limit).RunAsync(Ids("c", 100));

        // Declares 10 ids (well within the policy), then sends 5,000 points in its first batch.
        await guest.SendAsync("host", new PsiSetup
        {
            Version = 1, Salt = ByteString.CopyFrom(new byte[32]), SetSize = 10, BatchSize = 8192, Window = 1,
        });
        Assert.Equal(100, (await guest.ReceiveAsync<PsiSetupReply>("host").WaitAsync(Bound)).SetSize);
        await guest.SendAsync("host", new PsiBlindedBatch { Index = 0, Points = ByteString.CopyFrom(new byte[5_000 * PsiKey.PointSize]) });

        var error = await Assert.ThrowsAsync<PsiFailedException>(() => host.WaitAsync(Bound));
        Assert.Contains("expected 10 points", error.Message);
        Assert.DoesNotContain(hostChannel.Sent, s => s.Message is PsiDoubleBlindedBatch or PsiBlindedBatch);
    }

    [Fact]
    public async Task GuestSetAtTheRatio_IsAnswered()
    {
        var hostIds = Ids("c", 20);
        var guestIds = Ids("c", 10).Concat(Ids("g", 190)).ToArray();   // exactly 10 × 20
        var federation = new InMemoryFederation(["guest", "host"], Bound);
        var host = new PsiHost(federation.Channel("host", "j"), "guest", limit: Limit).RunAsync(hostIds);
        var result = await new PsiGuest(federation.Channel("guest", "j"), ["host"], new PsiOptions { BatchSize = 64, Window = 2 })
            .RunAsync(guestIds).WaitAsync(Bound);
        Assert.Equal(10, result.Count);
        Assert.Equal(10, (await host.WaitAsync(Bound)).Count);
    }

    [Theory]
    [InlineData(1_000, 100, 10.0, null)]
    [InlineData(1_200_000, 100_000, 10.0, "guest set 1,200,000 ids exceeds policy.max_guest_set_ratio 10 × 100,000")]
    [InlineData(51, 100, 0.5, "guest set 51 ids exceeds policy.max_guest_set_ratio 0.5 × 100")]
    public void Refusal_ComparesTheDeclaredCountWithRatioTimesHostSet(long guest, int host, double ratio, string? expected) =>
        Assert.Equal(expected, new PsiGuestSetLimit(ratio, "policy.max_guest_set_ratio").Refusal(guest, host));

    private static string[] Ids(string prefix, int count) => [.. Enumerable.Range(0, count).Select(i => $"{prefix}{i}")];

    /// <summary>Progress recorded on the reporting thread (Progress&lt;T&gt; would post to the thread pool later).</summary>
    private sealed class SyncProgress(List<PsiProgress> into) : IProgress<PsiProgress>
    {
        public void Report(PsiProgress value)
        {
            lock (into) into.Add(value);
        }
    }
}
