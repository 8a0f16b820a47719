using System.Numerics;
using System.Security.Cryptography;

namespace VerticalFL.Crypto.Tests.Ckks.Flooding;

/// <summary>
/// A deliberately independent textbook RLWE public-key scheme over Z_q[X]/(X^N + 1) in BigInteger (schoolbook
/// negacyclic products), used to check the attack's solver without any of the production CKKS code.
/// </summary>
internal sealed class ToyRlwe
{
    public ToyRlwe(int n, BigInteger q)
    {
        N = n;
        Q = q;
        Secret = Enumerable.Range(0, n).Select(_ => (BigInteger)(RandomNumberGenerator.GetInt32(3) - 1)).ToArray();
        PublicA = Enumerable.Range(0, n).Select(_ => Uniform()).ToArray();
        PublicB = Add(Negate(Multiply(PublicA, Secret)), SmallError()); // b = −a·s + e
    }

    public int N { get; }

    public BigInteger Q { get; }

    public BigInteger[] Secret { get; }

    public BigInteger[] PublicA { get; }

    public BigInteger[] PublicB { get; }

    /// <summary>(c0, c1) = (b·u + e1 + m, a·u + e2) with ternary u.</summary>
    public (BigInteger[] C0, BigInteger[] C1) Encrypt(BigInteger[] message)
    {
        var u = Enumerable.Range(0, N).Select(_ => (BigInteger)(RandomNumberGenerator.GetInt32(3) - 1)).ToArray();
        return (Add(Add(Multiply(PublicB, u), SmallError()), message), Add(Multiply(PublicA, u), SmallError()));
    }

    /// <summary>Coefficient 0 of c0 + c1·s, centred mod q: what an unflooded coefficient-0 release hands out.</summary>
    public BigInteger DecryptCoefficient0(BigInteger[] c0, BigInteger[] c1)
    {
        var m0 = LiMicciancioSolver.Mod(c0[0] + Multiply(c1, Secret)[0], Q);
        return m0 > Q / 2 ? m0 - Q : m0;
    }

    public BigInteger[] Multiply(BigInteger[] a, BigInteger[] b)
    {
        var product = new BigInteger[N];
        for (var i = 0; i < N; i++)
        for (var j = 0; j < N; j++)
        {
            var k = i + j;
            if (k < N) product[k] += a[i] * b[j];
            else product[k - N] -= a[i] * b[j]; // X^N = −1
        }

        return product.Select(v => LiMicciancioSolver.Mod(v, Q)).ToArray();
    }

    private BigInteger[] Add(BigInteger[] a, BigInteger[] b) => a.Zip(b, (x, y) => LiMicciancioSolver.Mod(x + y, Q)).ToArray();

    private BigInteger[] Negate(BigInteger[] a) => a.Select(x => LiMicciancioSolver.Mod(-x, Q)).ToArray();

    private BigInteger Uniform()
    {
        var bytes = RandomNumberGenerator.GetBytes(Q.GetByteCount() + 8); // 64 extra bits: bias < 2^−64, fine for a toy
        return LiMicciancioSolver.Mod(new BigInteger(bytes, isUnsigned: true), Q);
    }

    private BigInteger[] SmallError() =>
        Enumerable.Range(0, N).Select(_ => (BigInteger)(RandomNumberGenerator.GetInt32(41) - 20)).ToArray();
}
