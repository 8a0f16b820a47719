using VerticalFL.Crypto.Masking;

namespace VerticalFL.Crypto.Tests.Masking;

public sealed class PairwiseMaskTests
{
    [Fact]
    public void Apply_ThreeParties_MasksCancelInTheSumModTwoToThe64()
    {
        string[] parties = ["a", "b", "c"];
        var masks = parties.Select(_ => new PairwiseMask()).ToArray();
        var keys = parties.Select((p, i) => (p, masks[i].PublicKey)).ToDictionary(x => x.p, x => x.PublicKey);
        var random = new Random(3);
        var values = parties.Select(_ => Enumerable.Range(0, 33).Select(_ => (ulong)random.NextInt64()).ToArray()).ToArray();
        var plainSum = Enumerable.Range(0, 33).Select(i => values.Aggregate(0UL, (s, v) => unchecked(s + v[i]))).ToArray();

        var masked = values.Select(v => (ulong[])v.Clone()).ToArray();
        for (int k = 0; k < parties.Length; k++)
            masks[k].Apply(parties[k], keys.Where(kv => kv.Key != parties[k]).ToDictionary(), "job-1", masked[k]);

        for (int i = 0; i < 33; i++)
        {
            Assert.Equal(plainSum[i], masked.Aggregate(0UL, (s, v) => unchecked(s + v[i])));
            Assert.All(Enumerable.Range(0, 3), k => Assert.NotEqual(values[k][i], masked[k][i]));
        }
        foreach (var mask in masks) mask.Dispose();
    }

    [Fact]
    public void Stream_BothSidesOfAPairDeriveTheSameWords_AndAnotherContextGivesOthers()
    {
        using var a = new PairwiseMask();
        using var b = new PairwiseMask();
        var fromA = a.Stream(b.PublicKey, "a\nb", "job-1", 5);
        var fromB = b.Stream(a.PublicKey, "a\nb", "job-1", 5);
        Assert.Equal(fromA, fromB);
        Assert.NotEqual(fromA, a.Stream(b.PublicKey, "a\nb", "job-2", 5));
        Assert.Equal(fromA[..3], a.Stream(b.PublicKey, "a\nb", "job-1", 3));   // a prefix: CTR order
    }

    [Fact]
    public void Stream_WordsLookUniform_HalfTheBitsSet()
    {
        using var a = new PairwiseMask();
        using var b = new PairwiseMask();
        var words = a.Stream(b.PublicKey, "a\nb", "x", 4096);
        long ones = words.Sum(w => (long)ulong.PopCount(w));
        // 262,144 bits: a fair stream is within ±2,000 of half (about 7.8 standard deviations).
        Assert.InRange(ones, 131_072 - 2_000, 131_072 + 2_000);
    }

    [Fact]
    public void Apply_MalformedPeerKey_IsRefusedNamingTheKey()
    {
        using var a = new PairwiseMask();
        var e = Assert.Throws<ArgumentException>(() => a.Apply("a", new Dictionary<string, byte[]> { ["b"] = [1, 2, 3] }, "x", new ulong[2]));
        Assert.Contains("mask public key", e.Message);
    }
}
