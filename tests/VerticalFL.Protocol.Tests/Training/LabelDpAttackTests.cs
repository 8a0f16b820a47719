using System.Numerics;
using VerticalFL.Crypto.Encoding;
using VerticalFL.Ml.Optimization;
using VerticalFL.Ml.Training;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Training;

namespace VerticalFL.Protocol.Tests.Training;

/// <summary>
/// Issue 10, finding 1, label DP: the strongest host there is. It has as many features as the batch has rows (k = B = 32,
/// hosts opting out of the floor), and the guest starts from public zeros, so the host's exact gradient Gⱼ = Σᵢ xᵢⱼ·4dᵢ is
/// a square system it solves for every residual 4dᵢ = u_h,i − 2yᵢ (+ the guest's noise) and reads each label off its
/// sign. Without dp that recovers every label; with dp at ε = 1 no attack can beat e^ε/(1 + e^ε) ≈ 0.73 in expectation,
/// and this one lands near Φ(2/(4σ)) ≈ 0.54.
/// </summary>
[Trait("Category", "Attack")]
public class LabelDpAttackTests
{
    private const int Batch = 32;
    private const int Rows = 8 * Batch;

    private static HeteroLrParameters Parameters(LabelDpSettings? dp) => new()
    {
        Epochs = 1, BatchSize = Batch, Optimizer = OptimizerKind.Sgd, Penalty = PenaltyKind.None, Init = InitKind.Zeros, Seed = 5,
        EarlyStop = EarlyStopKind.WeightDiff, Tol = 0, Dp = dp,
    };

    [Fact]
    public async Task SolveResiduals_NoDp_RecoversEveryLabel()
    {
        double accuracy = await AttackAsync(Parameters(dp: null));
        Assert.Equal(1.0, accuracy);
    }

    [Fact]
    public async Task SolveResiduals_DpEpsilon1_NoBetterThanTheDpBound()
    {
        var dp = new LabelDpSettings { Epsilon = 1, Delta = 1e-5, Clip = 1 };
        double accuracy = await AttackAsync(Parameters(dp));

        double bound = Math.Exp(dp.Epsilon) / (1 + Math.Exp(dp.Epsilon)) + dp.Delta; // 0.731: best expected accuracy of any test
        Assert.True(accuracy < bound, $"the host guessed {accuracy:P1} of {Rows} labels, above the ε = 1 bound {bound:P1}");
    }

    /// <summary>What the attack sees per label: the label moves a residual by 4 (units of 4d), the noise spreads it by 4σ.</summary>
    [Fact]
    public void Noise_DominatesOneLabelsEffect()
    {
        var plan = LabelDp.For(Parameters(new LabelDpSettings { Epsilon = 1, Delta = 1e-5, Clip = 1 }))!;
        Assert.True(4 * plan.Sigma > 4 * 4, $"noise σ {4 * plan.Sigma} (4d units) is not above four times a label's effect 4");
    }

    /// <summary>Runs the real trainers; returns the fraction of labels the host's solve gets right over one epoch.</summary>
    private static async Task<double> AttackAsync(HeteroLrParameters parameters)
    {
        var (guest, hosts) = LrFederation.Data(Rows, 2, [Batch]);
        var gradients = new Dictionary<Step, BigInteger[]>();
        await LrFederation.RunAsync(parameters, guest, hosts, secretGuestStart: false,
            hostGradientTap: (step, g) => { lock (gradients) gradients[step] = g; });

        // Everything below is what the host holds: the batch order, its quantised features, its own (zero) scores.
        var (_, features, _) = PartyFeatures.Prepare(hosts[0], null, parameters, interceptColumn: false);
        var batches = new BatchSchedule(guest.Rows, Batch, parameters.Seed).Epoch(0);
        int right = 0;
        for (int b = 0; b < batches.Length; b++)
        {
            var x = features.Batch(batches[b]);
            var residuals = Solve(x, gradients[Step.Of(0, b)]);
            for (int i = 0; i < batches[b].Length; i++)
            {
                double guess = residuals[i] < 0 ? 1 : -1; // 4d = −2y (+ noise) with zero scores
                if (guess == TaylorLogistic.Signed(guest.Labels![batches[b][i]]))
                    right++;
            }
        }
        return right / (double)guest.Rows;
    }

    /// <summary>Solves xᵀ·r = g (B × B) by Gaussian elimination with partial pivoting.</summary>
    private static double[] Solve(QuantizedMatrix x, BigInteger[] g)
    {
        int n = x.Rows;
        Assert.Equal(n, x.Columns);
        var a = new double[n, n + 1];
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < n; i++)
                a[j, i] = x[i, j];
            a[j, n] = (double)g[j];
        }
        for (int c = 0; c < n; c++)
        {
            int pivot = Enumerable.Range(c, n - c).MaxBy(r => Math.Abs(a[r, c]));
            for (int k = 0; k <= n; k++)
                (a[c, k], a[pivot, k]) = (a[pivot, k], a[c, k]);
            for (int r = 0; r < n; r++)
            {
                if (r == c || a[r, c] == 0) continue;
                double factor = a[r, c] / a[c, c];
                for (int k = c; k <= n; k++)
                    a[r, k] -= factor * a[c, k];
            }
        }
        return Enumerable.Range(0, n).Select(i => a[i, n] / a[i, i]).ToArray();
    }
}
