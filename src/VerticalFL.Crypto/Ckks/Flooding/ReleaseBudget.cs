namespace VerticalFL.Crypto.Ckks.Flooding;

/// <summary>
/// Counts flooded releases against a policy's τ. Thread-safe. A release that would exceed τ is refused before any
/// decryption happens, so nothing is released past the budget.
/// </summary>
public sealed class ReleaseBudget
{
    private long _used;

    public ReleaseBudget(FloodingPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Policy = policy;
    }

    public FloodingPolicy Policy { get; }

    /// <summary>Releases made so far.</summary>
    public long Used => Interlocked.Read(ref _used);

    /// <summary>Releases still allowed.</summary>
    public long Remaining => Policy.MaxReleases - Used;

    /// <summary>Takes one release from the budget, or throws <see cref="ReleaseBudgetExhaustedException"/>.</summary>
    public void Consume()
    {
        while (true)
        {
            var used = Interlocked.Read(ref _used);
            if (used >= Policy.MaxReleases)
            {
                throw new ReleaseBudgetExhaustedException(Policy.MaxReleases);
            }

            if (Interlocked.CompareExchange(ref _used, used + 1, used) == used)
            {
                return;
            }
        }
    }
}

/// <summary>A secret key has made every flooded release its noise was sized for.</summary>
public sealed class ReleaseBudgetExhaustedException : InvalidOperationException
{
    public ReleaseBudgetExhaustedException(long maxReleases)
        : base($"CKKS release refused: this secret key has already released the τ = {maxReleases} flooded decryptions its " +
               "noise flooding was sized for (σ = √(12τ)·2^(s/2)·t). More releases would let a curious party average the " +
               "noise away and solve for the key; generate a new CKKS key pair, or size τ larger up front.")
    {
        MaxReleases = maxReleases;
    }

    public long MaxReleases { get; }
}
