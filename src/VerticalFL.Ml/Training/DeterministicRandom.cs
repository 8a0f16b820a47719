namespace VerticalFL.Ml.Training;

/// <summary>
/// SplitMix64 (Steele, Lea & Flood 2014): a tiny generator whose output is fixed by its definition,
/// so every party (and every .NET version) derives the same batches and initial weights from a seed.
/// Not for secrets.
/// </summary>
public sealed class DeterministicRandom
{
    private ulong _state;

    /// <param name="seed">The job's seed.</param>
    /// <param name="stream">Separates independent uses of one seed (an epoch, a party).</param>
    public DeterministicRandom(long seed, long stream = 0)
    {
        _state = (ulong)seed;
        _state = NextUInt64() ^ (ulong)stream * 0xD1342543DE82EF95UL;
    }

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, bound) by rejection, without modulo bias.</summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        ulong limit = ulong.MaxValue - ulong.MaxValue % (ulong)bound;
        ulong x;
        do x = NextUInt64(); while (x >= limit);
        return (int)(x % (ulong)bound);
    }
}
