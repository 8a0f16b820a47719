using System.Numerics;

namespace VerticalFL.Crypto.Ckks.Flooding;

/// <summary>
/// The exact coins both discrete samplers are built from (Canonne, Kamath and Steinke, NeurIPS 2020, Algorithms 1–2):
/// every probability is a ratio of integers and every bit comes from the OS CSPRNG. Not thread-safe.
/// </summary>
internal sealed class ExactCoins(CsprngIntegers random)
{
    /// <summary>
    /// P[Y = y] ∝ exp(−|y|·s/t) on all integers: U uniform in [0, t) kept with probability exp(−U/t), V ≥ 0 counting
    /// exp(−1) successes, Y = ⌊(U + t·V)/s⌋ with a fair sign ("−0" rejected so 0 is not counted twice).
    /// </summary>
    public BigInteger Laplace(BigInteger t, BigInteger s)
    {
        while (true)
        {
            var u = random.UniformBelow(t);
            if (!ExpMinus(u, t))
                continue;
            var v = BigInteger.Zero;
            while (ExpMinus(BigInteger.One, BigInteger.One))
                v++;
            var y = s.IsOne ? u + t * v : (u + t * v) / s;
            bool negative = random.Coin();
            if (negative && y.IsZero)
                continue;
            return negative ? -y : y;
        }
    }

    /// <summary>True with probability exp(−n/d), n ≥ 0, d &gt; 0: ⌊n/d⌋ coins of exp(−1), then one of the fraction.</summary>
    public bool ExpMinus(BigInteger n, BigInteger d)
    {
        var whole = BigInteger.DivRem(n, d, out var fraction);
        for (var i = BigInteger.Zero; i < whole; i++)
            if (!ExpMinusAtMostOne(BigInteger.One, BigInteger.One))
                return false;
        return ExpMinusAtMostOne(fraction, d);
    }

    /// <summary>True with probability exp(−γ), γ = n/d ∈ [0, 1]: draw A_k ~ Bernoulli(γ/k) until the first failure; k odd.</summary>
    private bool ExpMinusAtMostOne(BigInteger n, BigInteger d)
    {
        var k = BigInteger.One;
        while (random.Bernoulli(n, d * k))
            k++;
        return !k.IsEven;
    }
}
