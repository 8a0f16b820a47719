using VerticalFL.Crypto.Native;

namespace VerticalFL.Crypto.Paillier;

/// <summary>
/// What the DJN variant needs of p and q: p ≡ q ≡ 3 (mod 4) and gcd(p−1, q−1) = 2. Then −1 is a quadratic
/// non-residue modulo both primes with Jacobi symbol +1, the squares modulo n form a cyclic group of order
/// (p−1)(q−1)/4, and h = −x² generates the whole subgroup of Jacobi symbol +1, so hs = h^n mod n² spans the
/// n-th residues that encryption draws its randomness from (Damgård–Jurik–Nielsen, "A generalization of
/// Paillier's public-key system with applications", §4).
/// </summary>
internal static unsafe class PrimeConditions
{
    /// <summary>True when the lowest two bits of the positive <paramref name="x"/> are 11.</summary>
    public static bool IsThreeModFour(Mpz* x) => x->Size > 0 && (*(ulong*)x->Limbs & 3) == 3;

    /// <summary>Why p and q do not fit, or null when they do. <paramref name="scratch"/> holds two secret temporaries.</summary>
    public static string? Problem(Mpz* p, Mpz* q, GmpPin scratch)
    {
        if (!IsThreeModFour(p) || !IsThreeModFour(q))
            return "p and q must both be 3 mod 4";
        GmpNative.SubtractUnsigned(scratch[0], p, 1);
        GmpNative.SubtractUnsigned(scratch[1], q, 1);
        GmpNative.Gcd(scratch[0], scratch[0], scratch[1]);
        bool two = GmpNative.CompareUnsigned(scratch[0], 2) == 0;
        GmpConvert.Wipe(scratch[0]);
        GmpConvert.Wipe(scratch[1]);
        return two ? null : "gcd(p−1, q−1) must be 2";
    }
}
