using System.Security.Cryptography;

namespace VerticalFL.Crypto.SecureAggregation;

/// <summary>
/// Arithmetic modulo a prime p &lt; 2^63 (products through UInt128). The default field of Shamir sharing is the
/// Mersenne prime 2^61 − 1; tests use tiny primes to enumerate every polynomial.
/// </summary>
public sealed class PrimeField
{
    public const ulong Mersenne61 = (1UL << 61) - 1;

    public PrimeField(ulong prime)
    {
        if (prime < 3 || prime >= 1UL << 63 || !IsPrime(prime))
            throw new ArgumentException($"The field modulus must be an odd prime below 2^63; got {prime}.", nameof(prime));
        Prime = prime;
    }

    public ulong Prime { get; }

    public ulong Add(ulong a, ulong b)
    {
        ulong s = a + b;
        return s >= Prime ? s - Prime : s;
    }

    public ulong Sub(ulong a, ulong b) => a >= b ? a - b : a + Prime - b;

    public ulong Mul(ulong a, ulong b) => (ulong)((UInt128)a * b % Prime);

    public ulong Pow(ulong a, ulong e)
    {
        ulong result = 1, b = a % Prime;
        for (; e > 0; e >>= 1)
        {
            if ((e & 1) == 1)
                result = Mul(result, b);
            b = Mul(b, b);
        }
        return result;
    }

    /// <summary>a^(p−2) = a^−1 (Fermat). Zero has no inverse.</summary>
    public ulong Inverse(ulong a)
    {
        if (a % Prime == 0)
            throw new DivideByZeroException("Zero has no inverse in the field.");
        return Pow(a, Prime - 2);
    }

    /// <summary>A uniform element of [0, p) from the OS CSPRNG (rejection sampling: no modulo bias).</summary>
    public ulong Random()
    {
        ulong mask = ulong.MaxValue >> System.Numerics.BitOperations.LeadingZeroCount(Prime);
        Span<byte> bytes = stackalloc byte[8];
        while (true)
        {
            RandomNumberGenerator.Fill(bytes);
            ulong candidate = BitConverter.ToUInt64(bytes) & mask;
            if (candidate < Prime)
                return candidate;
        }
    }

    private static bool IsPrime(ulong n)
    {
        // Deterministic Miller–Rabin for n < 2^64 with the first twelve prime bases.
        foreach (ulong a in (ReadOnlySpan<ulong>)[2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37])
            if (n == a)
                return true;
            else if (n % a == 0)
                return false;
        ulong d = n - 1;
        int r = 0;
        while ((d & 1) == 0) { d >>= 1; r++; }
        foreach (ulong a in (ReadOnlySpan<ulong>)[2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37])
        {
            ulong x = PowMod(a, d, n);
            if (x == 1 || x == n - 1)
                continue;
            bool composite = true;
            for (int i = 1; i < r && composite; i++)
            {
                x = (ulong)((UInt128)x * x % n);
                composite = x != n - 1;
            }
            if (composite)
                return false;
        }
        return true;
    }

    private static ulong PowMod(ulong a, ulong e, ulong m)
    {
        ulong result = 1;
        a %= m;
        for (; e > 0; e >>= 1)
        {
            if ((e & 1) == 1)
                result = (ulong)((UInt128)result * a % m);
            a = (ulong)((UInt128)a * a % m);
        }
        return result;
    }
}
