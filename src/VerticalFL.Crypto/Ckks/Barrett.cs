using System.Runtime.CompilerServices;

namespace VerticalFL.Crypto.Ckks;

/// <summary>
/// Barrett reduction of 128-bit values modulo a prime q &lt; 2^62 with the precomputed ratio ⌊2^128/q⌋
/// (the method SEAL's <c>barrett_reduce_128</c> uses: the quotient estimate is off by at most a small constant,
/// so a short correction loop finishes the job).
/// </summary>
internal readonly struct Barrett
{
    public Barrett(ulong q)
    {
        Modulus = q;
        var ratio = UInt128.MaxValue / q;
        RatioLow = (ulong)ratio;
        RatioHigh = (ulong)(ratio >> 64);
    }

    public ulong Modulus { get; }

    public ulong RatioLow { get; }

    public ulong RatioHigh { get; }

    /// <summary>(high·2^64 + low) mod q, for any 128-bit value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Reduce(ulong high, ulong low)
    {
        // Quotient estimate ⌊z·ratio / 2^128⌋ mod 2^64, dropping only the lowest partial product's low word.
        var carry = Math.BigMul(low, RatioLow, out _);
        var t2High = Math.BigMul(low, RatioHigh, out var t2Low);
        var t3 = t2Low + carry;
        var t1 = t2High + (t3 < carry ? 1UL : 0UL);
        var uHigh = Math.BigMul(high, RatioLow, out var uLow);
        var c2 = t3 + uLow < t3 ? 1UL : 0UL;
        var quotient = high * RatioHigh + t1 + uHigh + c2;
        var r = low - quotient * Modulus;
        while (r >= Modulus) r -= Modulus;
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong MulMod(ulong a, ulong b)
    {
        var high = Math.BigMul(a, b, out var low);
        return Reduce(high, low);
    }
}
