using System.Security.Cryptography;
using VerticalFL.Crypto.Native;

namespace VerticalFL.Crypto.Paillier;

/// <summary>
/// Random primes ≡ 3 (mod 4) with the top two bits set (so p·q has exactly twice the bits), from the OS CSPRNG.
/// See <see cref="PrimeConditions"/> for why 3 mod 4.
/// </summary>
internal static unsafe class PrimeGenerator
{
    /// <summary>GMP runs trial division, Baillie-PSW, then (reps − 24) Miller-Rabin rounds.</summary>
    public const int Repetitions = 32;

    public static void Generate(Mpz* result, int bits)
    {
        Span<byte> candidate = stackalloc byte[bits / 8];
        do
        {
            RandomNumberGenerator.Fill(candidate);
            candidate[0] |= 0xC0;
            candidate[^1] |= 3; // ≡ 3 (mod 4)
            GmpConvert.SetBigEndian(result, candidate);
        }
        while (GmpNative.ProbablyPrime(result, Repetitions) == 0);

        CryptographicOperations.ZeroMemory(candidate);
    }
}
