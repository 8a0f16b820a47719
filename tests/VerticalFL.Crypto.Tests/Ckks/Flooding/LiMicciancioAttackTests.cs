using System.Numerics;
using System.Security.Cryptography;
using VerticalFL.Crypto.Ckks;
using VerticalFL.Crypto.Ckks.Flooding;

namespace VerticalFL.Crypto.Tests.Ckks.Flooding;

/// <summary>
/// Li–Micciancio key recovery (eprint 2020/1533) mounted on the real CKKS code at toy size N = 64: the attacker
/// holds its own ciphertexts (it encrypted them, as a party in hetero LR does) and receives the key holder's
/// coefficient-0 decryptions. Each release d gives c0₀ + (c1·s)₀ ≡ d (mod p) for the first prime p, exactly,
/// whatever the message was; N of them pin s down.
/// </summary>
public sealed class LiMicciancioAttackTests
{
    private const int N = 64;
    private const int Releases = N + 4; // a few spare equations in case some are dependent
    private static readonly double Scale = Math.Pow(2, 50);

    /// <summary>t for these toy parameters: fresh public-key encryption noise plus encoding rounding, far below 2^10.</summary>
    private static readonly BigInteger ToyNoiseBound = 1 << 10;

    [Theory]
    [Trait("Category", "Attack")]
    [InlineData(false)]
    [InlineData(true)] // the LR shape: the attacker multiplies someone's Enc(d) by its own plaintext x and asks for Σ d·x
    public void UnfloodedReleasesRecoverTheSecretKeyExactly(bool lrProduct)
    {
        using var setup = new ToySetup(lrProduct);
        var decryptor = new Decryptor(setup.Context, setup.SecretKey);
        var releases = setup.Collect(ct => decryptor.DecryptCoefficient0(ct));
        var recovered = LiMicciancioSolver.RecoverSecret(releases, setup.FirstPrime);
        Assert.All(setup.SecretCoefficients, c => Assert.InRange(c, -1, 1)); // the key really is ternary
        Assert.Equal(setup.SecretCoefficients, recovered);
    }

    [Theory]
    [Trait("Category", "Attack")]
    [InlineData(false)]
    [InlineData(true)]
    public void FloodedReleasesDoNotRecoverTheSecretKey(bool lrProduct)
    {
        using var setup = new ToySetup(lrProduct);
        // A product at scale 2^90 carries d·(x's rounding) and e·x: measured up to 2^49.4 over 200 products at N = 64
        // (|d| ≤ 1, |x| ≤ 2), so t = 2^54 bounds it.
        var noiseBound = lrProduct ? BigInteger.One << 54 : ToyNoiseBound;
        var flooded = new FloodedDecryptor(setup.Context, setup.SecretKey, new FloodingPolicy(Releases, noiseBound));
        var releases = setup.Collect(flooded.DecryptCoefficient0ForRelease);
        var recovered = LiMicciancioSolver.RecoverSecret(releases, setup.FirstPrime);
        Assert.NotEqual(setup.SecretCoefficients, recovered);
        Assert.Contains(recovered, v => BigInteger.Abs(v) > 1); // not even a ternary candidate
        Assert.Equal(0, flooded.Budget.Remaining);
        Assert.Throws<ReleaseBudgetExhaustedException>(() => flooded.DecryptCoefficient0ForRelease(setup.EncryptRandom().Ciphertext));
    }

    [Fact]
    public void FloodedCoefficient0StillCarriesTheSlotSum()
    {
        using var setup = new ToySetup();
        var policy = new FloodingPolicy(Releases, ToyNoiseBound);
        var flooded = new FloodedDecryptor(setup.Context, setup.SecretKey, policy);
        var (values, ct) = setup.EncryptRandom();
        var released = flooded.DecryptCoefficient0ForRelease(ct);
        var slotSum = (N / 2) * (double)released / Scale; // Σ slots = (N/2)·m₀/Δ
        // Error ≤ (N/2)·(noise + 8σ)/Δ ≈ 32·2^33/2^50 ≈ 2^−12; 1e-2 leaves a wide margin yet fails without the message.
        Assert.Equal(values.Sum(), slotSum, 1e-2);
    }

    [Fact]
    public void FullPlaintextReleaseAddsIndependentNoiseOfTheDeclaredSigmaToEveryCoefficient()
    {
        using var setup = new ToySetup();
        var policy = new FloodingPolicy(1000, 1 << 4); // σ ≈ 2^24.5: visible but far from the message
        var flooded = new FloodedDecryptor(setup.Context, setup.SecretKey, policy);
        var exact = new Decryptor(setup.Context, setup.SecretKey);
        var encoder = new CkksEncoder(setup.Context);
        var differences = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var (values, ct) = setup.EncryptRandom();
            var noisy = flooded.DecryptForRelease(ct);
            var clean = exact.Decrypt(ct);
            var decoded = encoder.Decode(noisy);
            for (var p = 0; p < noisy.CoeffModulusCount; p++)
            {
                var prime = setup.Context.Parameters.CoeffModulus[p];
                Assert.All(noisy.Coefficients.Slice(p * N, N).ToArray(), r => Assert.True(r < prime)); // still a valid SEAL plaintext
            }

            for (var k = 0; k < values.Length; k++) Assert.Equal(values[k], decoded[k], 1e-3);
            // Noise polynomial in coefficient form, first prime: inverse NTT of (noisy − clean).
            var q = setup.FirstPrime;
            var diff = new ulong[N];
            for (var j = 0; j < N; j++) diff[j] = (ulong)LiMicciancioSolver.Mod((BigInteger)noisy.Coefficients[j] - clean.Coefficients[j], q);
            setup.Context.Ntt[0].Inverse(diff);
            differences.AddRange(diff.Select(d => (double)(d > q / 2 ? (BigInteger)d - q : d)));
        }

        var sigmaSquared = (double)policy.SigmaSquared;
        var variance = differences.Average(d => d * d);
        // 1,280 samples: the variance estimate's standard error is σ²·√(2/1280) ≈ 4%; five of them is 20%.
        Assert.InRange(variance / sigmaSquared, 0.8, 1.2);
        Assert.InRange(differences.Average() / Math.Sqrt(sigmaSquared), -5 / Math.Sqrt(differences.Count), 5 / Math.Sqrt(differences.Count));
    }

    [Fact]
    public void OneKeyHasOneBudgetAcrossDecryptors()
    {
        using var setup = new ToySetup();
        var policy = new FloodingPolicy(2, ToyNoiseBound);
        var first = new FloodedDecryptor(setup.Context, setup.SecretKey, policy);
        var second = new FloodedDecryptor(setup.Context, setup.SecretKey, new FloodingPolicy(2, ToyNoiseBound));
        first.DecryptCoefficient0ForRelease(setup.EncryptRandom().Ciphertext);
        second.DecryptCoefficient0ForRelease(setup.EncryptRandom().Ciphertext);
        Assert.Throws<ReleaseBudgetExhaustedException>(() => first.DecryptCoefficient0ForRelease(setup.EncryptRandom().Ciphertext));
        var other = Assert.Throws<ArgumentException>(() => new FloodedDecryptor(setup.Context, setup.SecretKey, new FloodingPolicy(3, ToyNoiseBound)));
        Assert.Equal("policy", other.ParamName);
    }

    [Fact]
    public void RefusesASigmaThatWouldWrapTheModulus()
    {
        using var setup = new ToySetup();
        var tooLoud = new FloodingPolicy(1, BigInteger.One << 110); // σ ≈ 2^127 against Q ≈ 2^120
        var refused = Assert.Throws<ArgumentException>(() => new FloodedDecryptor(setup.Context, setup.SecretKey, tooLoud));
        Assert.Contains("wrap around", refused.Message);
    }

    /// <summary>N = 64 with three 60-bit primes (the LR modulus shape), real key generation and encryption.</summary>
    private sealed class ToySetup : IDisposable
    {
        private readonly Encryptor _encryptor;
        private readonly CkksEncoder _encoder;
        private readonly bool _lrProduct;

        public ToySetup(bool lrProduct = false)
        {
            _lrProduct = lrProduct;
            Context = new CkksContext(CkksParameters.CreateInsecureForTests(N, [60, 60, 60]));
            var keys = new KeyGenerator(Context);
            SecretKey = keys.SecretKey;
            _encryptor = new Encryptor(Context, keys.CreatePublicKey());
            _encoder = new CkksEncoder(Context);
            FirstPrime = Context.Parameters.CoeffModulus[0];
            SecretCoefficients = ToCentredCoefficients(SecretKey.Residues(0).ToArray());
        }

        public CkksContext Context { get; }

        public SecretKey SecretKey { get; }

        public ulong FirstPrime { get; }

        /// <summary>The real key's coefficients mod the first prime, centred (what the attack must reproduce).</summary>
        public BigInteger[] SecretCoefficients { get; }

        public (double[] Values, Ciphertext Ciphertext) EncryptRandom()
        {
            var values = Enumerable.Range(0, N / 2).Select(_ => RandomNumberGenerator.GetInt32(-1000, 1001) / 1000.0).ToArray();
            return (values, _encryptor.Encrypt(_encoder.Encode(values, Scale)));
        }

        /// <summary>The attacker's view: its ciphertexts (coefficient form mod p) and the released values.</summary>
        public List<(IReadOnlyList<BigInteger>, IReadOnlyList<BigInteger>, BigInteger)> Collect(Func<Ciphertext, BigInteger> release)
        {
            var releases = new List<(IReadOnlyList<BigInteger>, IReadOnlyList<BigInteger>, BigInteger)>();
            for (var i = 0; i < Releases; i++)
            {
                var ct = EncryptRandom().Ciphertext;
                if (_lrProduct)
                {
                    var x = Enumerable.Range(0, N / 2).Select(_ => RandomNumberGenerator.GetInt32(-2000, 2001) / 1000.0).ToArray();
                    ct = new Evaluator(Context).MultiplyPlain(ct, _encoder.Encode(x, Math.Pow(2, 40)));
                }

                Assert.True(ct.IsNttForm);
                var c0 = ToCoefficients(ct.Residues(0, 0).ToArray());
                var c1 = ToCoefficients(ct.Residues(1, 0).ToArray());
                releases.Add((c0, c1, release(ct)));
            }

            return releases;
        }

        public void Dispose() => SecretKey.Dispose();

        private BigInteger[] ToCoefficients(ulong[] nttResidues)
        {
            Context.Ntt[0].Inverse(nttResidues);
            return nttResidues.Select(v => (BigInteger)v).ToArray();
        }

        private BigInteger[] ToCentredCoefficients(ulong[] nttResidues) =>
            ToCoefficients(nttResidues).Select(v => v > FirstPrime / 2 ? v - FirstPrime : v).ToArray();
    }
}
