using System.Numerics;
using System.Security.Cryptography;

namespace VerticalFL.Crypto.Ckks;

/// <summary>
/// The random polynomials of key generation and encryption, from the OS CSPRNG, written as RNS residues
/// (prime-major) for the first <c>primes.Length</c> primes.
/// </summary>
internal static class CkksSampler
{
    /// <summary>Uniform ternary coefficients {−1, 0, 1}.</summary>
    public static void Ternary(Span<ulong> destination, int n, ReadOnlySpan<ulong> primes)
    {
        var bytes = new byte[n + n / 8 + 64];
        RandomNumberGenerator.Fill(bytes);
        var next = 0;
        for (var j = 0; j < n; j++)
        {
            int b;
            do
            {
                if (next == bytes.Length)
                {
                    RandomNumberGenerator.Fill(bytes);
                    next = 0;
                }
                b = bytes[next++];
            } while (b >= 255); // 255 = 3·85: reject so that b mod 3 is uniform
            WriteSmall(destination, n, primes, j, b % 3 - 1);
        }
        CryptographicOperations.ZeroMemory(bytes);
    }

    /// <summary>
    /// Centred binomial errors: popcount of 21 random bits minus popcount of 21 more (variance 21/2, σ ≈ 3.24),
    /// the distribution SEAL uses for σ = 3.2.
    /// </summary>
    public static void CenteredBinomial(Span<ulong> destination, int n, ReadOnlySpan<ulong> primes)
    {
        var bytes = new byte[n * 6];
        RandomNumberGenerator.Fill(bytes);
        const ulong mask21 = (1UL << 21) - 1;
        for (var j = 0; j < n; j++)
        {
            var word = (ulong)bytes[6 * j] | (ulong)bytes[6 * j + 1] << 8 | (ulong)bytes[6 * j + 2] << 16
                | (ulong)bytes[6 * j + 3] << 24 | (ulong)bytes[6 * j + 4] << 32 | (ulong)bytes[6 * j + 5] << 40;
            var value = BitOperations.PopCount(word & mask21) - BitOperations.PopCount((word >> 21) & mask21);
            WriteSmall(destination, n, primes, j, value);
        }
        CryptographicOperations.ZeroMemory(bytes);
    }

    /// <summary>Uniform residues mod each prime independently (an NTT-form uniform polynomial).</summary>
    public static void Uniform(Span<ulong> destination, int n, ReadOnlySpan<ulong> primes)
    {
        var words = new ulong[n];
        for (var i = 0; i < primes.Length; i++)
        {
            var q = primes[i];
            var limit = ulong.MaxValue - ulong.MaxValue % q; // accept words below a multiple of q
            var target = destination.Slice(i * n, n);
            RandomNumberGenerator.Fill(System.Runtime.InteropServices.MemoryMarshal.AsBytes(words.AsSpan()));
            for (var j = 0; j < n; j++)
            {
                var w = words[j];
                while (w >= limit) w = RandomWord();
                target[j] = w % q;
            }
        }
    }

    private static ulong RandomWord()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToUInt64(bytes);
    }

    private static void WriteSmall(Span<ulong> destination, int n, ReadOnlySpan<ulong> primes, int j, int value)
    {
        for (var i = 0; i < primes.Length; i++)
            destination[i * n + j] = value >= 0 ? (ulong)value : primes[i] - (ulong)(-value);
    }
}
