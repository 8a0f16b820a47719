using System.Numerics;
using System.Security.Cryptography;
using VerticalFL.Crypto.SecureAggregation;

namespace VerticalFL.Crypto.Tests.SecureAggregation;

public sealed class ShamirSecretSharingTests
{
    private readonly ShamirSecretSharing _shamir = new();

    [Theory]
    [InlineData(2, 3)]
    [InlineData(3, 5)]
    [InlineData(9, 13)]
    public void Every_subset_of_t_shares_reconstructs_a_32_byte_secret(int t, int n)
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        var xs = Enumerable.Range(0, n).Select(i => 3 * i + 2).ToArray();
        var shares = _shamir.Split(secret, t, xs);
        int subsets = 0;
        foreach (var subset in Subsets(n, t).Take(300))
        {
            Assert.Equal(secret, _shamir.Combine(subset.Select(i => shares[i]).Reverse().ToArray(), t, 32));
            subsets++;
        }
        Assert.True(subsets >= Math.Min(300, 3));
    }

    [Fact]
    public void Fewer_than_t_shares_are_refused_and_a_wrong_set_does_not_give_the_secret()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        var shares = _shamir.Split(secret, 3, [1, 2, 3, 4]);
        Assert.Throws<ArgumentException>(() => _shamir.Combine(shares[..2], 3, 32));
        // Two shares treated as a 2-of-n set interpolate a line through them: not the secret (the check of
        // consistent chunks refuses it almost surely, else the bytes differ).
        try
        {
            Assert.NotEqual(secret, _shamir.Combine(shares[..2], 2, 32));
        }
        catch (ArgumentException e)
        {
            Assert.Contains("inconsistent", e.Message);
        }
    }

    [Fact]
    public void Reconstruction_agrees_with_BigInteger_Lagrange_interpolation()
    {
        // Independent check: the secret's field elements from exact rational Lagrange interpolation in BigInteger.
        var secret = RandomNumberGenerator.GetBytes(32);
        int[] xs = [5, 9, 17, 40, 41];
        var shares = _shamir.Split(secret, 4, xs);
        var p = new BigInteger(PrimeField.Mersenne61);
        var used = new[] { shares[4], shares[0], shares[3], shares[2] };
        for (int j = 0; j < used[0].Y.Length; j++)
        {
            BigInteger total = 0;
            for (int i = 0; i < used.Length; i++)
            {
                BigInteger num = 1, den = 1;
                for (int m = 0; m < used.Length; m++)
                    if (m != i)
                    {
                        num *= used[m].X;
                        den *= used[m].X - used[i].X;
                    }
                var inverse = BigInteger.ModPow(((den % p) + p) % p, p - 2, p);
                total += used[i].Y[j] * (((num % p) + p) % p) * inverse;
            }
            total %= p;
            var chunk = new byte[8];
            secret.AsSpan(j * 7, Math.Min(7, 32 - j * 7)).CopyTo(chunk);
            Assert.Equal(new BigInteger(BitConverter.ToUInt64(chunk)), total);
        }
        Assert.Equal(secret, _shamir.Combine(used, 4, 32));
    }

    [Fact]
    public void Exhaustive_on_GF11_t_minus_1_shares_take_every_value_once_for_every_secret()
    {
        // p = 11, t = 3, shares at x = 2 and x = 7. For each secret s, the 11² polynomials s + a1 x + a2 x² give the
        // pair (f(2), f(7)); each of the 121 pairs must occur exactly once: the two shares are uniform whatever s is.
        var shamir = new ShamirSecretSharing(new PrimeField(11));
        for (ulong s = 0; s < 11; s++)
        {
            var counts = new int[11, 11];
            for (ulong a1 = 0; a1 < 11; a1++)
                for (ulong a2 = 0; a2 < 11; a2++)
                    counts[shamir.Evaluate([s, a1, a2], 2), shamir.Evaluate([s, a1, a2], 7)]++;
            foreach (int c in counts)
                Assert.Equal(1, c);
        }
        // ...whereas three shares determine s: interpolation at 0 returns it for every polynomial.
        for (ulong s = 0; s < 11; s++)
            for (ulong a1 = 0; a1 < 11; a1++)
                Assert.Equal(s, shamir.InterpolateAtZero([2UL, 7UL, 9UL],
                    [shamir.Evaluate([s, a1, 4], 2), shamir.Evaluate([s, a1, 4], 7), shamir.Evaluate([s, a1, 4], 9)]));
    }

    [Fact]
    public void Statistical_one_share_of_a_2_of_n_sharing_is_uniform_for_any_secret()
    {
        // The real sampling path (CSPRNG coefficients) on a 256-bit secret: the first byte of one share's first
        // element is uniform over 256 values for secret 0 and for secret 0xff…; χ² with 255 degrees of freedom stays
        // below 340 (p ≈ 0.0003) for uniform data. A constant secret leaks unless the coefficients are uniform.
        foreach (byte fill in new byte[] { 0x00, 0xff })
        {
            var secret = Enumerable.Repeat(fill, 32).ToArray();
            var counts = new int[256];
            const int draws = 25_600;
            for (int d = 0; d < draws; d++)
                counts[(byte)_shamir.Split(secret, 2, [1, 2])[0].Y[0]]++;
            double expected = draws / 256.0;
            double chi2 = counts.Sum(c => (c - expected) * (c - expected) / expected);
            Assert.InRange(chi2, 150, 340);
        }
    }

    [Fact]
    public void Bad_points_and_thresholds_are_refused()
    {
        Assert.Throws<ArgumentException>(() => _shamir.Split(new byte[32], 3, [1, 2]));
        Assert.Throws<ArgumentException>(() => _shamir.Split(new byte[32], 2, [1, 1, 2]));
        Assert.Throws<ArgumentException>(() => _shamir.Split(new byte[32], 2, [0, 1, 2]));
        Assert.Throws<ArgumentException>(() => new PrimeField(15));
    }

    private static IEnumerable<int[]> Subsets(int n, int k)
    {
        var index = Enumerable.Range(0, k).ToArray();
        while (true)
        {
            yield return (int[])index.Clone();
            int i = k - 1;
            while (i >= 0 && index[i] == n - k + i)
                i--;
            if (i < 0)
                yield break;
            index[i]++;
            for (int j = i + 1; j < k; j++)
                index[j] = index[j - 1] + 1;
        }
    }
}
