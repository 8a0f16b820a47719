using System.Numerics;
using Google.Protobuf;
using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.Ckks;
using VerticalFL.Crypto.Ckks.Flooding;
using VerticalFL.Crypto.Ckks.Serialization;
using VerticalFL.Ml.Training;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Training;

namespace VerticalFL.Protocol.Tests.Training.Ckks;

/// <summary>
/// A curious arbiter under CKKS (it holds the secret key) against a data party's real gradient path
/// (<see cref="CkksGradient"/> at N = 8192, {60, 60, 60}). What it can decrypt from each release request is
/// m₀ + R mod Q with R the party's uniform mask, so the values must be uniform on [0, Q) and uncorrelated with the
/// true Σ 4d·x; the same request without the mask gives the gradient away (the control that shows the test can fail).
/// And c₁ itself: without the party's re-randomisation an arbiter divides the intercept column's c₁ out of another
/// column's and reads that column's encoded features.
/// </summary>
public sealed class CkksArbiterViewAttackTests
{
    private const int Rows = 4096;
    private const int ColumnCount = 40;
    private const int Batches = 5; // 200 releases

    [Fact]
    [Trait("Category", "Attack")]
    public async Task ArbiterDecryptions_OfMaskedReleases_AreUniformAndIndependentOfTheGradient()
    {
        using var setup = new Setup();
        var seen = new List<double>();   // (m₀ + R mod Q) / Q, what the arbiter computes
        var truth = new List<double>();  // Σᵢ 4dᵢ·xᵢⱼ
        var unmaskedSeen = new List<double>();
        for (int batch = 0; batch < Batches; batch++)
        {
            var (residuals, d) = setup.Residuals(batch);
            var (columns, x) = setup.Columns(batch);
            var federation = new InMemoryFederation(["host", "arbiter"], TimeSpan.FromSeconds(60));
            var arbiter = federation.Channel("arbiter", "attack");
            var party = CkksGradient.SumsAsync(federation.Channel("host", "attack"), "arbiter", setup.Session, residuals, columns, Rows,
                Step.Of(0, batch), CancellationToken.None);
            var parsed = new List<Coefficient0Request>();   // 40 columns arrive as two chunks (31 + 9)
            while (parsed.Count < ColumnCount)
                parsed.AddRange(CkksWire.Requests(await arbiter.ReceiveAsync<CkksReleaseRequest>("host", Step.Of(0, batch)), setup.Context, "attack"));
            seen.AddRange(parsed.Select(setup.ArbiterDecrypts));
            await arbiter.SendAsync("host", CkksWire.Integers(parsed.Select(setup.Release)), Step.Of(0, batch));
            var sums = await party;
            for (int j = 0; j < ColumnCount; j++)
            {
                double exact = Enumerable.Range(0, Rows).Sum(i => d[i] * x[j][i]);
                truth.Add(exact);
                Assert.True(Math.Abs(sums[j] - exact) < 1e-3 * Math.Max(1, Math.Abs(exact)), $"the party's own result is wrong: {sums[j]} vs {exact}");
            }
            // Control: the same sums split without the mask (what an unmasked release would show the arbiter).
            var accumulator = new CiphertextAccumulator(setup.Context, setup.Context.FirstParmsId);
            for (int j = 0; j < 4; j++)
            {
                accumulator.Clear();
                accumulator.MultiplyPlainAdd(residuals[0], columns[j][0]);
                var (plain, _) = Coefficient0Release.Split(setup.Context, accumulator.ToRerandomizedCiphertext(setup.Session.Encryptor), masked: false);
                unmaskedSeen.Add(setup.ArbiterDecrypts(plain));
            }
        }

        // Kolmogorov–Smirnov against U[0, 1): critical value 1.63/√n at the 1% level (0.115 for n = 200).
        Assert.True(KolmogorovSmirnov(seen) < 1.63 / Math.Sqrt(seen.Count), $"KS distance {KolmogorovSmirnov(seen):F3} over {seen.Count} masked releases");
        double r = Correlation(seen, truth);
        Assert.True(Math.Abs(r) < 4 / Math.Sqrt(seen.Count), $"masked releases correlate with the gradient: r = {r:F3}");
        // Without the mask every value sits next to 0 or Q (|m₀| ≤ 2^100 ≪ Q ≈ 2^120): not uniform at all.
        Assert.All(unmaskedSeen, v => Assert.True(v < 1e-5 || v > 1 - 1e-5, $"unmasked release at {v}"));
        Assert.True(KolmogorovSmirnov(unmaskedSeen) > 0.4);
    }

    [Fact]
    [Trait("Category", "Attack")]
    public void C1_WithoutRerandomisation_GivesTheArbiterTheFeatures_AndWithItDoesNot()
    {
        using var setup = new Setup();
        var (residuals, _) = setup.Residuals(0);
        var (columns, _) = setup.Columns(0);
        var intercept = setup.Session.Encoder.Encode(Enumerable.Repeat(1.0, Rows).ToArray(), CkksSession.FeatureScale);
        var accumulator = new CiphertextAccumulator(setup.Context, setup.Context.FirstParmsId);

        ulong[] C1(Plaintext column, bool rerandomise)
        {
            accumulator.Clear();
            accumulator.MultiplyPlainAdd(residuals[0], column);
            var sum = rerandomise ? accumulator.ToRerandomizedCiphertext(setup.Session.Encryptor) : accumulator.ToCiphertext();
            var (request, _) = Coefficient0Release.Split(setup.Context, sum, masked: true);
            return request.C1;
        }

        foreach (bool rerandomise in new[] { false, true })
        {
            var c1Column = C1(columns[3][0], rerandomise);
            var c1Intercept = C1(intercept, rerandomise);
            // The arbiter's guess of x̂₃ (NTT form, first prime): c₁(x₃)·c₁(1)⁻¹·1̂, slot-wise mod q.
            BigInteger q = setup.Context.Parameters.CoeffModulus[0];
            int matches = 0;
            for (int k = 0; k < 256; k++)
            {
                BigInteger guess = c1Column[k] * BigInteger.ModPow(c1Intercept[k], q - 2, q) % q * intercept.Coefficients[k] % q;
                if (guess == columns[3][0].Coefficients[k]) matches++;
            }
            if (rerandomise)
                Assert.True(matches == 0, $"{matches} of 256 feature residues recovered through re-randomised c₁");
            else
                Assert.Equal(256, matches); // the control: the leak re-randomisation closes
        }
    }

    private static double KolmogorovSmirnov(List<double> values)
    {
        var sorted = values.Order().ToArray();
        double d = 0;
        for (int i = 0; i < sorted.Length; i++)
            d = Math.Max(d, Math.Max((i + 1.0) / sorted.Length - sorted[i], sorted[i] - (double)i / sorted.Length));
        return d;
    }

    private static double Correlation(List<double> a, List<double> b)
    {
        double ma = a.Average(), mb = b.Average();
        double cov = a.Zip(b, (x, y) => (x - ma) * (y - mb)).Sum();
        return cov / Math.Sqrt(a.Sum(x => (x - ma) * (x - ma)) * b.Sum(y => (y - mb) * (y - mb)));
    }

    /// <summary>The job's CKKS key (the arbiter's), a party's session on its public key, and random batches.</summary>
    private sealed class Setup : IDisposable
    {
        private readonly KeyGenerator _keys;
        private readonly FloodedDecryptor _exactish;
        private readonly DeterministicRandom _random = new(5);

        public Setup()
        {
            Context = new CkksContext(CkksDefaults.Parameters());
            _keys = new KeyGenerator(Context);
            var message = new CkksPublicKeyMessage
            {
                Parameters = ByteString.CopyFrom(SealSerializer.Save(Context.Parameters)),
                PublicKey = ByteString.CopyFrom(SealSerializer.Save(_keys.CreatePublicKey())),
                MaxReleases = 1 << 12, NoiseBoundBits = 0, StatisticalBits = FloodingPolicy.DefaultStatisticalSecurityBits,
            };
            Session = CkksSession.From(message, new HeteroLrParameters { Encryption = EncryptionScheme.Ckks, CkksNoiseBits = 0 }, "arbiter");
            // Smallest flooding (t = 1, σ ≈ 2^25 against Q ≈ 2^120): the arbiter's view is m₀ + R, give or take 2^-95 of Q.
            _exactish = new FloodedDecryptor(Context, _keys.SecretKey, new FloodingPolicy(1 << 12, BigInteger.One));
            Modulus = Context.Parameters.CoeffModulus.Aggregate(BigInteger.One, (p, q) => p * q) / Context.Parameters.CoeffModulus[^1];
        }

        public CkksContext Context { get; }
        public CkksSession Session { get; }
        private BigInteger Modulus { get; }

        /// <summary>[[4d]] for one batch of random residuals |4d| ≤ 2 (the guest's output), and the values.</summary>
        public (Ciphertext[] Residuals, double[] D) Residuals(int batch)
        {
            var d = Enumerable.Range(0, Rows).Select(_ => _random.NextDouble() * 4 - 2).ToArray();
            return (Session.EncryptBlocks(d), d);
        }

        /// <summary>Random standardised feature columns, encoded as a party encodes them, and their values.</summary>
        public (Plaintext[][] Columns, double[][] X) Columns(int batch)
        {
            var x = Enumerable.Range(0, ColumnCount).Select(_ => Enumerable.Range(0, Rows).Select(_ => Math.Round((_random.NextDouble() * 6 - 3) * 1024) / 1024).ToArray()).ToArray();
            return (x.Select(c => new[] { Session.Encoder.Encode(c, CkksSession.FeatureScale) }).ToArray(), x);
        }

        /// <summary>What the arbiter reads from a request with its key, as a fraction of Q in [0, 1).</summary>
        public double ArbiterDecrypts(Coefficient0Request request)
        {
            var value = _exactish.ReleaseCoefficient0(request) % Modulus;
            if (value.Sign < 0) value += Modulus;
            return (double)(value * (BigInteger.One << 52) / Modulus) / Math.Pow(2, 52);
        }

        public BigInteger Release(Coefficient0Request request) => _exactish.ReleaseCoefficient0(request);

        public void Dispose() => _keys.SecretKey.Dispose();
    }
}
