using System.Numerics;
using VerticalFL.Crypto.Ckks.Flooding;

namespace VerticalFL.Crypto.Tests.Ckks.Flooding;

/// <summary>The attack's solver against an independent BigInteger RLWE (no production CKKS code involved).</summary>
public sealed class LiMicciancioSolverTests
{
    private static readonly BigInteger MersennePrime61 = (BigInteger.One << 61) - 1;

    [Fact]
    public void UnfloodedCoefficient0ReleasesRecoverTheToyKey()
    {
        var scheme = new ToyRlwe(32, MersennePrime61);
        var releases = Releases(scheme, noise: null);
        Assert.Equal(scheme.Secret, LiMicciancioSolver.RecoverSecret(releases, scheme.Q));
    }

    [Fact]
    public void FloodedCoefficient0ReleasesDoNotRecoverIt()
    {
        var scheme = new ToyRlwe(32, MersennePrime61);
        var policy = new FloodingPolicy(64, 1 << 12); // t ≥ the toy's decryption noise (|e·u + e1 + e2·s| < 32·20·3)
        var releases = Releases(scheme, new DiscreteGaussianSampler(policy.SigmaSquared));
        var recovered = LiMicciancioSolver.RecoverSecret(releases, scheme.Q);
        Assert.NotEqual(scheme.Secret, recovered);
        Assert.Contains(recovered, v => BigInteger.Abs(v) > 1);
    }

    private static List<(IReadOnlyList<BigInteger>, IReadOnlyList<BigInteger>, BigInteger)> Releases(ToyRlwe scheme, DiscreteGaussianSampler? noise)
    {
        var releases = new List<(IReadOnlyList<BigInteger>, IReadOnlyList<BigInteger>, BigInteger)>();
        for (var i = 0; i < scheme.N + 4; i++)
        {
            var message = new BigInteger[scheme.N];
            message[0] = 1000 * i; // known to the attacker, but the equation does not even need it
            var (c0, c1) = scheme.Encrypt(message);
            var released = scheme.DecryptCoefficient0(c0, c1) + (noise?.Next() ?? BigInteger.Zero);
            releases.Add((c0, c1, released));
        }

        return releases;
    }
}
