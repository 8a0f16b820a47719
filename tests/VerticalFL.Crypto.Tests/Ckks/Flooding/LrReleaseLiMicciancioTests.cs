using System.Numerics;
using System.Security.Cryptography;
using VerticalFL.Crypto.Ckks;
using VerticalFL.Crypto.Ckks.Flooding;

namespace VerticalFL.Crypto.Tests.Ckks.Flooding;

/// <summary>
/// Li–Micciancio (eprint 2020/1533) in the exact shape of a CKKS hetero-LR gradient release, at toy size N = 64 with
/// the job's three 60-bit primes: the attacking data party multiplies the guest's [[4d]] blocks by its own feature
/// column with the lazy accumulator, re-randomises (<see cref="CiphertextAccumulator.ToRerandomizedCiphertext"/>),
/// sends c₁ and its masked c₀ sum (<see cref="Coefficient0Release.SplitInto"/>), gets the arbiter's answer and removes
/// its mask. It knows its ciphertext in full, so each answer is one linear equation in the arbiter's secret key.
/// Exact answers give the key away; the job's flooding (t = 2^54, the default ckks_noise_bits) does not.
/// </summary>
public sealed class LrReleaseLiMicciancioTests
{
    private const int N = 64;
    private const int Releases = N + 4;
    private const int Blocks = 2;

    [Fact]
    [Trait("Category", "Attack")]
    public void ExactLrReleases_RecoverTheArbitersKey()
    {
        using var setup = new LrSetup();
        var releases = setup.Collect(request => Coefficient0Release.Decrypt(setup.Context, setup.SecretKey, request));
        Assert.Equal(setup.SecretCoefficients, LiMicciancioSolver.RecoverSecret(releases, setup.FirstPrime));
    }

    [Fact]
    [Trait("Category", "Attack")]
    public void FloodedLrReleases_DoNotRecoverTheArbitersKey_AndStillCarryTheGradient()
    {
        using var setup = new LrSetup();
        var flooded = new FloodedDecryptor(setup.Context, setup.SecretKey, new FloodingPolicy(Releases, BigInteger.One << 54));
        var releases = setup.Collect(flooded.ReleaseCoefficient0);
        var recovered = LiMicciancioSolver.RecoverSecret(releases, setup.FirstPrime);
        Assert.NotEqual(setup.SecretCoefficients, recovered);
        Assert.Contains(recovered, v => BigInteger.Abs(v) > 1); // not even a ternary candidate
        Assert.Equal(0, flooded.Budget.Remaining);
        // The party's own figure survives the flooding: Σ slots within σ·(N/2)/2^90 ≈ 2^-10 per release.
        Assert.All(setup.Errors, e => Assert.True(Math.Abs(e) < 0.05, $"slot-sum error {e}"));
    }

    private sealed class LrSetup : IDisposable
    {
        private readonly Encryptor _encryptor;
        private readonly CkksEncoder _encoder;

        public LrSetup()
        {
            Context = new CkksContext(CkksParameters.CreateInsecureForTests(N, [60, 60, 60]));
            var keys = new KeyGenerator(Context);
            SecretKey = keys.SecretKey;
            _encryptor = new Encryptor(Context, keys.CreatePublicKey());
            _encoder = new CkksEncoder(Context);
            FirstPrime = Context.Parameters.CoeffModulus[0];
            var s = SecretKey.Residues(0).ToArray();
            Context.Ntt[0].Inverse(s);
            SecretCoefficients = s.Select(v => v > FirstPrime / 2 ? (BigInteger)v - FirstPrime : v).ToArray();
        }

        public CkksContext Context { get; }
        public SecretKey SecretKey { get; }
        public ulong FirstPrime { get; }
        public BigInteger[] SecretCoefficients { get; }

        /// <summary>Released Σ slots minus the true Σ 4d·x, per release (the party's view after unmasking).</summary>
        public List<double> Errors { get; } = [];

        /// <summary>The attacker's equations: its re-randomised ciphertext (coefficient form mod p) and the unmasked answer.</summary>
        public List<(IReadOnlyList<BigInteger>, IReadOnlyList<BigInteger>, BigInteger)> Collect(Func<Coefficient0Request, BigInteger> arbiter)
        {
            var level = Context.FirstParmsId;
            var result = new List<(IReadOnlyList<BigInteger>, IReadOnlyList<BigInteger>, BigInteger)>();
            var accumulator = new CiphertextAccumulator(Context, level);
            for (var r = 0; r < Releases; r++)
            {
                accumulator.Clear();
                double exact = 0;
                for (var b = 0; b < Blocks; b++)
                {
                    var d = Random(2.0);   // the guest's residuals 4d, encrypted by the guest
                    var x = Random(3.0);   // the attacker's own standardised feature column
                    exact += d.Zip(x, (p, q) => p * q).Sum();
                    accumulator.MultiplyPlainAdd(_encryptor.Encrypt(_encoder.Encode(d, Math.Pow(2, 50))), _encoder.Encode(x, Math.Pow(2, 40)));
                }
                var ct = accumulator.ToRerandomizedCiphertext(_encryptor);
                var c1 = new ulong[2 * N];
                var sums = new ulong[2];
                var mask = Coefficient0Release.SplitInto(Context, ct, c1, sums, masked: true);
                var request = Coefficient0Request.FromWire(Context, c1, sums, level);
                var m0 = Coefficient0Release.Unmask(Context, arbiter(request), mask, level);
                Errors.Add((double)m0 * (N / 2) / Math.Pow(2, 90) - exact);
                result.Add((Coefficients(ct, 0), Coefficients(ct, 1), m0));
            }
            return result;
        }

        public void Dispose() => SecretKey.Dispose();

        private static double[] Random(double range) =>
            Enumerable.Range(0, N / 2).Select(_ => RandomNumberGenerator.GetInt32(-1000, 1001) / 1000.0 * range).ToArray();

        private BigInteger[] Coefficients(Ciphertext ct, int poly)
        {
            var values = ct.Residues(poly, 0).ToArray();
            Context.Ntt[0].Inverse(values);
            return values.Select(v => (BigInteger)v).ToArray();
        }
    }
}
