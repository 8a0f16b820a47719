using System.Numerics;
using VerticalFL.Crypto.Ckks.Flooding;

namespace VerticalFL.Crypto.Tests.Ckks.Flooding;

public sealed class FloodingPolicyTests
{
    [Fact]
    public void SigmaFollowsTheLmssRule()
    {
        // σ = √(12τ)·2^(s/2)·t with τ = 3, s = 30, t = 5: σ² = 12·3·2^30·25 = 900·2^30 (by hand).
        var policy = new FloodingPolicy(3, 5);
        Assert.Equal(new BigInteger(900) << 30, policy.SigmaSquared);
        Assert.Equal(30, policy.StatisticalSecurityBits);
        // The LR setting of docs/protocol/ckks.md: τ = 2^16, s = 30, t = 2^50: log2 σ = (log2 12 + 16 + 30)/2 + 50.
        var lr = new FloodingPolicy(1 << 16, BigInteger.One << 50);
        Assert.Equal((Math.Log2(12) + 16 + 30) / 2 + 50, lr.Log2Sigma, 9);
    }

    [Fact]
    public void RefusesEmptyBudgetsAndBounds()
    {
        Assert.Equal("maxReleases", Assert.Throws<ArgumentOutOfRangeException>(() => new FloodingPolicy(0, 1)).ParamName);
        Assert.Equal("noiseBound", Assert.Throws<ArgumentOutOfRangeException>(() => new FloodingPolicy(1, 0)).ParamName);
        Assert.Equal("statisticalSecurityBits", Assert.Throws<ArgumentOutOfRangeException>(() => new FloodingPolicy(1, 1, 0)).ParamName);
    }

    [Fact]
    public void BudgetRefusesTheReleaseAfterTau()
    {
        var budget = new ReleaseBudget(new FloodingPolicy(3, 1));
        budget.Consume();
        budget.Consume();
        budget.Consume();
        Assert.Equal(0, budget.Remaining);
        var refused = Assert.Throws<ReleaseBudgetExhaustedException>(budget.Consume);
        Assert.Contains("τ = 3", refused.Message);
        Assert.Equal(3, budget.Used); // a refused release is not counted
    }

    [Fact]
    public void BudgetHoldsUnderConcurrentReleases()
    {
        var budget = new ReleaseBudget(new FloodingPolicy(1000, 1));
        var granted = 0;
        Parallel.For(0, 1500, _ =>
        {
            try
            {
                budget.Consume();
                Interlocked.Increment(ref granted);
            }
            catch (ReleaseBudgetExhaustedException)
            {
            }
        });
        Assert.Equal(1000, granted);
    }
}
