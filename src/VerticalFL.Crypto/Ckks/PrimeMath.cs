using System.Numerics;

namespace VerticalFL.Crypto.Ckks;

/// <summary>Word-size number theory for the RNS primes: modular products, primality, roots of unity.</summary>
internal static class PrimeMath
{
    public static ulong MulMod(ulong a, ulong b, ulong q) => (ulong)((UInt128)a * b % q);

    public static ulong PowMod(ulong a, ulong e, ulong q)
    {
        ulong result = 1 % q, power = a % q;
        for (; e != 0; e >>= 1)
        {
            if ((e & 1) != 0) result = MulMod(result, power, q);
            power = MulMod(power, power, q);
        }
        return result;
    }

    /// <summary>a⁻¹ mod q for prime q (Fermat).</summary>
    public static ulong InvMod(ulong a, ulong q)
    {
        if (a % q == 0) throw new ArgumentException("Zero has no inverse.", nameof(a));
        return PowMod(a, q - 2, q);
    }

    /// <summary>Deterministic Miller–Rabin for 64-bit values (the first 12 prime bases suffice below 3.3·10^24).</summary>
    public static bool IsPrime(ulong n)
    {
        ReadOnlySpan<ulong> bases = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37];
        if (n < 2) return false;
        foreach (var p in bases)
        {
            if (n == p) return true;
            if (n % p == 0) return false;
        }
        var d = n - 1;
        var s = BitOperations.TrailingZeroCount(d);
        d >>= s;
        foreach (var a in bases)
        {
            var x = PowMod(a, d, n);
            if (x == 1 || x == n - 1) continue;
            var composite = true;
            for (var r = 1; r < s && composite; r++)
            {
                x = MulMod(x, x, n);
                if (x == n - 1) composite = false;
            }
            if (composite) return false;
        }
        return true;
    }

    /// <summary>
    /// The smallest primitive 2N-th root of unity mod q (SEAL's <c>try_minimal_primitive_root</c> choice): the
    /// minimum over all generators ψ^(odd k) of one primitive root ψ.
    /// </summary>
    public static ulong MinimalPrimitiveRoot(ulong twoN, ulong q)
    {
        if ((q - 1) % twoN != 0) throw new ArgumentException($"Prime {q} is not 1 mod {twoN}.", nameof(q));
        var cofactor = (q - 1) / twoN;
        ulong root = 0;
        for (ulong g = 2; g < q; g++)
        {
            var candidate = PowMod(g, cofactor, q);
            // Primitive iff candidate^(2N/2) = −1.
            if (PowMod(candidate, twoN / 2, q) == q - 1) { root = candidate; break; }
        }
        if (root == 0) throw new InvalidOperationException($"No primitive {twoN}-th root mod {q}.");
        var square = MulMod(root, root, q);
        var minimal = root;
        var current = root;
        for (ulong i = 0; i < twoN / 2; i++)
        {
            if (current < minimal) minimal = current;
            current = MulMod(current, square, q);
        }
        return minimal;
    }

    public static int BitReverse(int value, int bits)
    {
        var result = 0;
        for (var i = 0; i < bits; i++) result |= ((value >> i) & 1) << (bits - 1 - i);
        return result;
    }
}
