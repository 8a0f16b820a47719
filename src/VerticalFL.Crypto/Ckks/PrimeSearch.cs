namespace VerticalFL.Crypto.Ckks;

/// <summary>SEAL's <c>CoeffModulus::Create</c>: NTT-friendly primes found downward from 2^bits.</summary>
internal static class PrimeSearch
{
    /// <summary>
    /// For each distinct size, the largest <c>count</c> primes p ≡ 1 mod 2N below 2^bits (and above 2^(bits−1));
    /// the size's first occurrence takes the smallest of them, the next occurrence the next larger, as SEAL does.
    /// </summary>
    public static ulong[] Create(int n, IReadOnlyList<int> bitSizes)
    {
        if (bitSizes.Count == 0) throw new ArgumentException("At least one prime size is needed.", nameof(bitSizes));
        foreach (var bits in bitSizes)
            if (bits < 2 || bits > CkksParameters.MaxPrimeBits)
                throw new ArgumentException($"Prime sizes must be 2..{CkksParameters.MaxPrimeBits} bits; got {bits}.", nameof(bitSizes));
        var found = new Dictionary<int, Stack<ulong>>();
        foreach (var group in bitSizes.GroupBy(b => b))
            found[group.Key] = new Stack<ulong>(Primes(2UL * (ulong)n, group.Key, group.Count()));
        return bitSizes.Select(bits => found[bits].Pop()).ToArray();
    }

    /// <summary>The first <paramref name="count"/> primes ≡ 1 mod factor, scanning down from 2^bits.</summary>
    public static List<ulong> Primes(ulong factor, int bits, int count)
    {
        var primes = new List<ulong>(count);
        var value = ((1UL << bits) - 1) / factor * factor + 1;
        var lowerBound = 1UL << (bits - 1);
        for (; primes.Count < count && value > lowerBound; value = value > factor ? value - factor : 0)
            if (PrimeMath.IsPrime(value)) primes.Add(value);
        if (primes.Count < count)
            throw new ArgumentException($"Only {primes.Count} of {count} primes of {bits} bits are 1 mod {factor}.");
        return primes;
    }
}
