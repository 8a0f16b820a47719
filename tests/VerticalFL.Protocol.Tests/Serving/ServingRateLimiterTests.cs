using VerticalFL.Protocol.Serving;

namespace VerticalFL.Protocol.Tests.Serving;

public sealed class ServingRateLimiterTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryAcquire_BurstSpent_RefusesNamingThePolicyUntilTimeRefills()
    {
        var clock = new ManualClock(Noon);
        var limiter = new ServingRateLimiter(new ServingLimits(IdsPerSecond: 10, Burst: 20, IdsPerDay: 1_000), clock);

        Assert.Null(limiter.TryAcquire("bank", 15));
        Assert.Equal("rate limit: guest 'bank' asked for 6 ids with 5 left of policy.serving_ids_per_second 10 (burst 20)",
            limiter.TryAcquire("bank", 6));
        Assert.Null(limiter.TryAcquire("bank", 5));          // a refusal took nothing
        clock.Advance(TimeSpan.FromSeconds(0.5));            // +5 ids
        Assert.Null(limiter.TryAcquire("bank", 5));
        Assert.NotNull(limiter.TryAcquire("bank", 1));
        clock.Advance(TimeSpan.FromHours(1));                // refills to the burst, not beyond
        Assert.NotNull(limiter.TryAcquire("bank", 21));
        Assert.Null(limiter.TryAcquire("bank", 20));
    }

    [Fact]
    public void TryAcquire_EachGuestHasItsOwnBucket()
    {
        var limiter = new ServingRateLimiter(new ServingLimits(1, 3, 100), new ManualClock(Noon));
        Assert.Null(limiter.TryAcquire("bank", 3));
        Assert.NotNull(limiter.TryAcquire("bank", 1));
        Assert.Null(limiter.TryAcquire("insurer", 3));
    }

    [Fact]
    public void TryAcquire_DailyQuota_RefusesUntilTheNextUtcDay()
    {
        var clock = new ManualClock(Noon);
        var limiter = new ServingRateLimiter(new ServingLimits(IdsPerSecond: 1_000, Burst: 1_000, IdsPerDay: 50), clock);
        Assert.Null(limiter.TryAcquire("bank", 40));
        Assert.Equal("daily quota: guest 'bank' has had 40 ids scored today (UTC), 11 more would exceed policy.serving_ids_per_day 50",
            limiter.TryAcquire("bank", 11));
        clock.Advance(TimeSpan.FromHours(11.9));             // 23:54 UTC: still the same day
        Assert.NotNull(limiter.TryAcquire("bank", 11));
        clock.Advance(TimeSpan.FromMinutes(7));              // past midnight UTC
        Assert.Null(limiter.TryAcquire("bank", 50));
    }

    [Fact]
    public void TryAcquire_ZeroRate_RefusesEverythingAfterTheBurst()
    {
        var clock = new ManualClock(Noon);
        var limiter = new ServingRateLimiter(new ServingLimits(0, 2, 100), clock);
        Assert.Null(limiter.TryAcquire("bank", 2));
        clock.Advance(TimeSpan.FromDays(0.4));
        Assert.NotNull(limiter.TryAcquire("bank", 1));
    }
}
