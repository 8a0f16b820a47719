using System.Numerics;
using VerticalFL.Crypto.Ckks;
using VerticalFL.Crypto.Ckks.Flooding;
using Xunit.Abstractions;

namespace VerticalFL.Crypto.Tests.Ckks.Flooding;

/// <summary>
/// The LR kernel at the LR parameters: Σ over 102,400 rows of d·x for 8 feature columns, d encrypted at Δ_d = 2^50,
/// x plaintext at Δ_x = 2^40, N = 8192, primes {60, 60, 60}, no rescale, read from coefficient 0
/// (Σ slots = (N/2)·m₀/(Δ_d·Δ_x)). Reference sums are computed in doubles with compensated summation (error
/// ~1e-12 here), independently of the CKKS code.
/// </summary>
public sealed class LrSlotSumPrecisionTests : IClassFixture<LrSlotSumPrecisionTests.Kernel>
{
    public const int Rows = 102_400;
    public const int Columns = 8;

    /// <summary>The noise bound declared for LR in docs/protocol/ckks.md, in m₀'s integer units.</summary>
    public static readonly BigInteger DeclaredNoiseBound = BigInteger.One << 51;

    private readonly Kernel _kernel;
    private readonly ITestOutputHelper _output;

    public LrSlotSumPrecisionTests(Kernel kernel, ITestOutputHelper output)
    {
        _kernel = kernel;
        _output = output;
    }

    [Fact]
    public void UnfloodedSlotSumsAreWithin1e6AndTheirNoiseWithinTheDeclaredBound()
    {
        var decryptor = new Decryptor(_kernel.Context, _kernel.SecretKey);
        for (var k = 0; k < Columns; k++)
        {
            var m0 = decryptor.DecryptCoefficient0(_kernel.Products[k]);
            var sum = ToSlotSum(m0);
            Assert.True(Math.Abs(sum - _kernel.Expected[k]) <= 1e-6, $"column {k}: {sum} vs {_kernel.Expected[k]}");
            // The released value's deviation from the exact product, in m₀ units: what t must bound.
            var deviation = Math.Abs((double)m0 - _kernel.Expected[k] * Math.Pow(2, 78));
            _output.WriteLine($"column {k}: Σ = {_kernel.Expected[k]:F6}, error {sum - _kernel.Expected[k]:E2}, noise in m₀ 2^{Math.Log2(deviation):F1}");
            Assert.True(deviation < (double)DeclaredNoiseBound, $"column {k}: noise 2^{Math.Log2(deviation):F1} exceeds t = 2^51");
        }
    }

    [Fact]
    public void FloodedSlotSumsAreWithinSixSigmaOfTheFloodingAtTauTwoToThe16()
    {
        var policy = new FloodingPolicy(1 << 16, DeclaredNoiseBound);
        var flooded = new FloodedDecryptor(_kernel.Context, _kernel.SecretKey, policy);
        var sigmaInSum = Math.Pow(2, policy.Log2Sigma - 78); // ≈ 0.22, the docs' table
        var errors = new double[Columns];
        for (var k = 0; k < Columns; k++)
        {
            errors[k] = ToSlotSum(flooded.DecryptCoefficient0ForRelease(_kernel.Products[k])) - _kernel.Expected[k];
            _output.WriteLine($"column {k}: Σ = {_kernel.Expected[k]:F6}, flooded error {errors[k]:E2} (σ in Σ units {sigmaInSum:F3})");
            Assert.True(Math.Abs(errors[k]) <= 6 * sigmaInSum + 1e-6, $"column {k}: error {errors[k]} beyond 6σ = {6 * sigmaInSum}");
        }

        // The noise is really there: eight errors all below σ/100 would have probability < 1e-16.
        Assert.Contains(errors, e => Math.Abs(e) > sigmaInSum / 100);
        Assert.Equal(Columns, flooded.Budget.Used);
    }

    private static double ToSlotSum(BigInteger m0) => (double)m0 / Math.Pow(2, 78); // (N/2)/(Δ_d·Δ_x) = 2^12/2^90

    /// <summary>Keys, data and the 8 accumulated products, built once for both tests.</summary>
    public sealed class Kernel : IDisposable
    {
        public Kernel()
        {
            Context = new CkksContext(CkksParameters.Create(8192, [60, 60, 60]));
            var keys = new KeyGenerator(Context);
            SecretKey = keys.SecretKey;
            var encryptor = new Encryptor(Context, keys.CreatePublicKey());
            var encoder = new CkksEncoder(Context);
            var slots = encoder.SlotCount;
            var random = new Random(20261201); // data only, not key material
            var d = Enumerable.Range(0, Rows).Select(_ => random.NextDouble() - 0.5).ToArray();
            var x = Enumerable.Range(0, Columns).Select(_ => Enumerable.Range(0, Rows).Select(_ => 4 * random.NextDouble() - 2).ToArray()).ToArray();

            var encryptedD = Enumerable.Range(0, Rows / slots)
                .Select(b => encryptor.Encrypt(encoder.Encode(d.AsSpan(b * slots, slots), Math.Pow(2, 50))))
                .ToArray();
            Products = new Ciphertext[Columns];
            Expected = new double[Columns];
            for (var k = 0; k < Columns; k++)
            {
                var accumulator = new CiphertextAccumulator(Context, Context.FirstParmsId);
                for (var b = 0; b < encryptedD.Length; b++)
                {
                    accumulator.MultiplyPlainAdd(encryptedD[b], encoder.Encode(x[k].AsSpan(b * slots, slots), Math.Pow(2, 40)));
                }

                Products[k] = accumulator.ToCiphertext();
                Expected[k] = CompensatedDot(d, x[k]);
            }
        }

        public CkksContext Context { get; }

        public SecretKey SecretKey { get; }

        public Ciphertext[] Products { get; }

        public double[] Expected { get; }

        public void Dispose() => SecretKey.Dispose();

        /// <summary>Σ aᵢ·bᵢ with exact products (FMA) and Neumaier summation.</summary>
        private static double CompensatedDot(double[] a, double[] b)
        {
            double sum = 0, compensation = 0;
            for (var i = 0; i < a.Length; i++)
            {
                var product = a[i] * b[i];
                var productError = Math.FusedMultiplyAdd(a[i], b[i], -product);
                foreach (var term in (ReadOnlySpan<double>)[product, productError])
                {
                    var t = sum + term;
                    compensation += Math.Abs(sum) >= Math.Abs(term) ? (sum - t) + term : (term - t) + sum;
                    sum = t;
                }
            }

            return sum + compensation;
        }
    }
}
