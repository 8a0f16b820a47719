using System.Numerics;
using VerticalFL.Crypto.Ckks;

namespace VerticalFL.Crypto.Tests.Ckks;

public class NttTests
{
    private static ulong[] RandomResidues(Random random, int n, ulong q) =>
        Enumerable.Range(0, n).Select(_ => (ulong)random.NextInt64((long)q)).ToArray();

    /// <summary>a·b mod (X^N + 1, q) by the schoolbook rule, in BigInteger.</summary>
    private static ulong[] NegacyclicSchoolbook(ulong[] a, ulong[] b, ulong q)
    {
        var n = a.Length;
        var sums = new BigInteger[n];
        for (var i = 0; i < n; i++)
        for (var j = 0; j < n; j++)
        {
            var product = (BigInteger)a[i] * b[j];
            if (i + j < n) sums[i + j] += product;
            else sums[i + j - n] -= product;
        }
        return sums.Select(s => (ulong)(((s % q) + q) % q)).ToArray();
    }

    [Theory]
    [InlineData(8, 20)]
    [InlineData(64, 40)]
    [InlineData(256, 60)]
    public void Product_through_the_ntt_equals_the_schoolbook_negacyclic_product(int n, int bits)
    {
        var q = PrimeSearch.Primes(2UL * (ulong)n, bits, 1)[0];
        var tables = new NttTables(n, q);
        var random = new Random(n + bits);
        var a = RandomResidues(random, n, q);
        var b = RandomResidues(random, n, q);
        var expected = NegacyclicSchoolbook(a, b, q);

        var fa = (ulong[])a.Clone();
        var fb = (ulong[])b.Clone();
        tables.Forward(fa);
        tables.Forward(fb);
        var product = fa.Zip(fb, (x, y) => (ulong)((UInt128)x * y % q)).ToArray();
        tables.Inverse(product);

        Assert.Equal(expected, product);
    }

    [Fact]
    public void Forward_slot_k_is_the_evaluation_at_psi_to_the_power_2_rev_k_plus_1()
    {
        const int n = 32;
        var q = PrimeSearch.Primes(2 * n, 30, 1)[0];
        var tables = new NttTables(n, q);
        var a = RandomResidues(new Random(3), n, q);
        var transformed = (ulong[])a.Clone();
        tables.Forward(transformed);
        for (var k = 0; k < n; k++)
        {
            var rev = 0;
            for (var bit = 0; bit < 5; bit++) rev |= ((k >> bit) & 1) << (4 - bit);
            var point = BigInteger.ModPow(tables.Root, 2 * rev + 1, q);
            var value = BigInteger.Zero;
            for (var j = n - 1; j >= 0; j--) value = (value * point + a[j]) % q;
            Assert.Equal((ulong)value, transformed[k]);
        }
    }

    [Fact]
    public void Root_is_the_smallest_primitive_2n_th_root_found_by_exhaustive_search()
    {
        foreach (var (n, q) in new[] { (8, 257UL), (16, 7681UL), (64, 12289UL) })
        {
            var expected = Enumerable.Range(2, (int)q - 2)
                .First(x => BigInteger.ModPow(x, n, q) == q - 1);
            Assert.Equal((ulong)expected, new NttTables(n, q).Root);
        }
    }

    [Fact]
    public void Inverse_after_forward_is_the_identity_at_n_8192()
    {
        var q = 0xfffffffffffc001UL;
        var tables = new NttTables(8192, q);
        var a = RandomResidues(new Random(5), 8192, q);
        var copy = (ulong[])a.Clone();
        tables.Forward(copy);
        Assert.NotEqual(a, copy);
        tables.Inverse(copy);
        Assert.Equal(a, copy);
    }

    [VectorWidthFact(512)]
    public void Vector512_path_gives_the_same_bytes_as_the_scalar_path() => PathsAgree(NttPath.Vector512);

    [VectorWidthFact(256)]
    public void Vector256_path_gives_the_same_bytes_as_the_scalar_path() => PathsAgree(NttPath.Vector256);

    private static void PathsAgree(NttPath path)
    {
        foreach (var (n, q) in new[] { (8192, 0xffffffffffe8001UL), (8192, 0xfffff4c001UL), (16, PrimeSearch.Primes(32, 50, 1)[0]) })
        {
            var tables = new NttTables(n, q);
            // Inputs up to 4q − 1 exercise the lazy ranges, not just reduced residues.
            var random = new Random(n);
            var input = Enumerable.Range(0, n).Select(_ => (ulong)random.NextInt64((long)(4 * q))).ToArray();
            var scalar = (ulong[])input.Clone();
            var vector = (ulong[])input.Clone();
            tables.Forward(scalar, NttPath.Scalar);
            tables.Forward(vector, path);
            Assert.Equal(scalar, vector);
            tables.Inverse(scalar, NttPath.Scalar);
            tables.Inverse(vector, path);
            Assert.Equal(scalar, vector);
        }
    }
}
