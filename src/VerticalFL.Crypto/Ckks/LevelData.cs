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
        _puncturedInverseShoup = primes.Select((q, i) => NttTables.Shoup(PuncturedInverse[i], q)).ToArray();
        ModulusBits = (int)Modulus.GetBitLength();
        _modulusLimbs = Limbs(Modulus, primes.Length);
        _halfModulusLimbs = Limbs(Modulus >> 1, primes.Length);
        _puncturedLimbs = Punctured.Select(p => Limbs(p, primes.Length)).ToArray();
    }

    private readonly ulong[] _puncturedInverseShoup;
    private readonly ulong[] _modulusLimbs, _halfModulusLimbs;
    private readonly ulong[][] _puncturedLimbs;

    /// <summary>Bit length of Q.</summary>
    public int ModulusBits { get; }

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

    /// <summary>
    /// Centred CRT lift of every coefficient of a prime-major residue array (prime i coefficient j at i·n + j) to a
    /// double, times <paramref name="factor"/>. Exact multiword arithmetic; only the final conversion rounds.
    /// </summary>
    public void ComposeCentredToDouble(ReadOnlySpan<ulong> residues, int n, Span<double> output, double factor)
    {
        var count = Count;
        Span<ulong> sum = stackalloc ulong[count + 1];
        Span<ulong> difference = stackalloc ulong[count + 1];
        for (var j = 0; j < n; j++)
        {
            sum.Clear();
            for (var i = 0; i < count; i++)
            {
                var q = Primes[i];
                var y = NttTables.MulShoupLazy(residues[i * n + j], PuncturedInverse[i], _puncturedInverseShoup[i], q);
                if (y >= q) y -= q;
                MultiplyAdd(sum, _puncturedLimbs[i], y);
            }
            while (Compare(sum, _modulusLimbs) >= 0) Subtract(sum, _modulusLimbs);
            double value;
            if (Compare(sum, _halfModulusLimbs) > 0)
            {
                // Negative: −(Q − sum).
                _modulusLimbs.CopyTo(difference);
                difference[count] = 0;
                Subtract(difference, sum);
                value = -ToDouble(difference);
            }
            else value = ToDouble(sum);
            output[j] = value * factor;
        }
    }

    private static ulong[] Limbs(BigInteger value, int count)
    {
        var limbs = new ulong[count + 1];
        for (var k = 0; k <= count; k++, value >>= 64) limbs[k] = (ulong)(value & ulong.MaxValue);
        return limbs;
    }

    /// <summary>sum += limbs·y (sum has one more limb than needed, so it never overflows for a few terms).</summary>
    private static void MultiplyAdd(Span<ulong> sum, ReadOnlySpan<ulong> limbs, ulong y)
    {
        ulong carry = 0;
        for (var k = 0; k < sum.Length; k++)
        {
            var t = (UInt128)limbs[k] * y + sum[k] + carry;
            sum[k] = (ulong)t;
            carry = (ulong)(t >> 64);
        }
    }

    private static int Compare(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        for (var k = a.Length - 1; k >= 0; k--)
            if (a[k] != b[k]) return a[k] > b[k] ? 1 : -1;
        return 0;
    }

    private static void Subtract(Span<ulong> a, ReadOnlySpan<ulong> b)
    {
        ulong borrow = 0;
        for (var k = 0; k < a.Length; k++)
        {
            var t = a[k] - b[k] - borrow;
            borrow = (a[k] < b[k] || (a[k] == b[k] && borrow == 1)) ? 1UL : 0UL;
            a[k] = t;
        }
    }

    private static double ToDouble(ReadOnlySpan<ulong> limbs)
    {
        var value = 0.0;
        for (var k = limbs.Length - 1; k >= 0; k--) value = value * 18446744073709551616.0 + limbs[k];
        return value;
    }
}
