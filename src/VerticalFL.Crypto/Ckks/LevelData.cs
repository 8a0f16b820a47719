using System.Numerics;

namespace VerticalFL.Crypto.Ckks;

/// <summary>CRT data for the level that keeps <c>Primes</c>: Q, Q/qᵢ and (Q/qᵢ)⁻¹ mod qᵢ.</summary>
internal sealed class LevelData
{
    public LevelData(ulong[] primes)
    {
        Primes = primes;
        Modulus = primes.Aggregate(BigInteger.One, (product, q) => product * q);
        Punctured = primes.Select(q => Modulus / q).ToArray();
        PuncturedInverse = primes.Select((q, i) => PrimeMath.InvMod((ulong)(Punctured[i] % q), q)).ToArray();
    }

    public ulong[] Primes { get; }

    public int Count => Primes.Length;

    /// <summary>Q, the product of this level's primes.</summary>
    public BigInteger Modulus { get; }

    /// <summary>Q/qᵢ.</summary>
    public BigInteger[] Punctured { get; }

    /// <summary>(Q/qᵢ)⁻¹ mod qᵢ.</summary>
    public ulong[] PuncturedInverse { get; }

    /// <summary>The centred CRT lift of one coefficient's residues (BigInteger; for single values, not bulk decode).</summary>
    public BigInteger ComposeCentred(ReadOnlySpan<ulong> residues)
    {
        var sum = BigInteger.Zero;
        for (var i = 0; i < Count; i++) sum += Punctured[i] * PrimeMath.MulMod(residues[i], PuncturedInverse[i], Primes[i]);
        sum %= Modulus;
        return sum > Modulus >> 1 ? sum - Modulus : sum;
    }
}
