namespace VerticalFL.Protocol.Serving;

/// <summary>A host's serving limits per guest, counted in ids scored (what bounds how many customers a guest can probe).</summary>
/// <param name="IdsPerSecond">Sustained rate (token bucket refill); 0 refuses everything.</param>
/// <param name="Burst">Bucket size: ids a guest may ask for at once after a quiet spell.</param>
/// <param name="IdsPerDay">Ids per UTC calendar day.</param>
public sealed record ServingLimits(double IdsPerSecond, int Burst, long IdsPerDay);

/// <summary>
/// Enforces <see cref="ServingLimits"/> per guest: a token bucket for the rate and a counter per UTC day for the
/// quota. Time comes from a <see cref="TimeProvider"/>, so tests step it instead of sleeping. Thread-safe.
/// </summary>
public sealed class ServingRateLimiter(ServingLimits limits, TimeProvider time)
{
    private readonly Dictionary<string, Bucket> _guests = new(StringComparer.Ordinal);

    /// <summary>Takes <paramref name="ids"/> from the guest's allowance.</summary>
    /// <returns>Null when allowed; otherwise the refusal, naming the policy key (nothing is taken then).</returns>
    public string? TryAcquire(string guest, int ids)
    {
        var now = time.GetUtcNow();
        lock (_guests)
        {
            if (!_guests.TryGetValue(guest, out var bucket))
                _guests[guest] = bucket = new Bucket { Tokens = limits.Burst, Refilled = now, Day = now.UtcDateTime.Date };
            bucket.Refill(now, limits);
            if (bucket.UsedToday + ids > limits.IdsPerDay)
                return $"daily quota: guest '{guest}' has had {bucket.UsedToday} ids scored today (UTC), "
                       + $"{ids} more would exceed policy.serving_ids_per_day {limits.IdsPerDay}";
            if (ids > bucket.Tokens)
                return $"rate limit: guest '{guest}' asked for {ids} ids with {Math.Floor(bucket.Tokens)} left of "
                       + $"policy.serving_ids_per_second {limits.IdsPerSecond} (burst {limits.Burst})";
            bucket.Tokens -= ids;
            bucket.UsedToday += ids;
            return null;
        }
    }

    private sealed class Bucket
    {
        public double Tokens;
        public DateTimeOffset Refilled;
        public DateTime Day;
        public long UsedToday;

        public void Refill(DateTimeOffset now, ServingLimits limits)
        {
            double seconds = Math.Max(0, (now - Refilled).TotalSeconds);
            Tokens = Math.Min(limits.Burst, Tokens + seconds * limits.IdsPerSecond);
            Refilled = now;
            if (now.UtcDateTime.Date != Day)
            {
                Day = now.UtcDateTime.Date;
                UsedToday = 0;
            }
        }
    }
}
