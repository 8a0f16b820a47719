using VerticalFL.Crypto.Masking;

namespace VerticalFL.Crypto.Tests.Masking;

public sealed class PairwiseMaskSecretsTests
{
    [Fact]
    public void Apply_SameContext_EqualsPairwiseMaskApply_AndMasksCancelAcrossParties()
    {
        using var a = new PairwiseMask();
        using var b = new PairwiseMask();
        using var c = new PairwiseMask();
        var keys = new Dictionary<string, byte[]> { ["a"] = a.PublicKey, ["b"] = b.PublicKey, ["c"] = c.PublicKey };
        var parties = new[] { ("a", a), ("b", b), ("c", c) };
        ulong sum = 0;
        foreach (var (id, mask) in parties)
        {
            var peers = keys.Where(k => k.Key != id).ToDictionary();
            ulong[] once = [10, 20, 30], cached = [10, 20, 30];
            mask.Apply(id, peers, "serve\nreq-1", once);
            using var secrets = mask.AgreeWith(id, peers);
            secrets.Apply("serve\nreq-1", cached);
            Assert.Equal(once, cached);
            Assert.NotEqual(10UL, cached[0]);
            sum = unchecked(sum + cached[0]);
        }
        Assert.Equal(30UL, sum);
    }

    [Fact]
    public void Apply_DifferentContexts_GiveDifferentMasks()
    {
        using var a = new PairwiseMask();
        using var b = new PairwiseMask();
        using var secrets = a.AgreeWith("a", new Dictionary<string, byte[]> { ["b"] = b.PublicKey });
        ulong[] first = [0], second = [0];
        secrets.Apply("req-1", first);
        secrets.Apply("req-2", second);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void AgreeWith_Self_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new PairwiseMask().AgreeWith("a", new Dictionary<string, byte[]> { ["a"] = new PairwiseMask().PublicKey }));
}
