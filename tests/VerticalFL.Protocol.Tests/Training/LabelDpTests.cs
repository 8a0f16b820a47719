using VerticalFL.Ml.Privacy;
using VerticalFL.Ml.Training;
using VerticalFL.Protocol.Training;

namespace VerticalFL.Protocol.Tests.Training;

/// <summary>training.dp: validation in the operator's key names, calibration, the guest's clipped and noised residuals.</summary>
public class LabelDpTests
{
    private static HeteroLrParameters With(LabelDpSettings dp, int epochs = 20) =>
        new() { Epochs = epochs, EarlyStop = EarlyStopKind.WeightDiff, Dp = dp };

    public static TheoryData<string, HeteroLrParameters> BadDp => new()
    {
        { "dp.epsilon", With(new LabelDpSettings()) },                       // missing
        { "dp.epsilon", With(new LabelDpSettings { Epsilon = 0 }) },
        { "dp.epsilon", With(new LabelDpSettings { Epsilon = -2 }) },
        { "dp.epsilon", With(new LabelDpSettings { Epsilon = double.PositiveInfinity }) },
        { "dp.epsilon", With(new LabelDpSettings { Epsilon = 1e-4 }, epochs: 100) }, // needs more noise than the range holds
        { "dp.delta", With(new LabelDpSettings { Epsilon = 1, Delta = 0 }) },
        { "dp.delta", With(new LabelDpSettings { Epsilon = 1, Delta = 1 }) },
        { "dp.clip", With(new LabelDpSettings { Epsilon = 1, Clip = 0 }) },
        { "dp.clip", With(new LabelDpSettings { Epsilon = 1, Clip = double.NaN }) },
        { "early_stop", With(new LabelDpSettings { Epsilon = 1 }) with { EarlyStop = EarlyStopKind.Diff } },
        { "encryption", With(new LabelDpSettings { Epsilon = 1 }) with { Encryption = EncryptionScheme.Ckks } },
    };

    [Theory]
    [MemberData(nameof(BadDp))]
    public void Validate_BadDp_ThrowsNamingTheKey(string key, HeteroLrParameters parameters)
    {
        var e = Assert.Throws<ArgumentException>(() => parameters.Validate());
        Assert.Equal(key, e.ParamName);
        Assert.StartsWith(key + ":", e.Message);
    }

    [Fact]
    public void FromJson_NestedDp_IsRead()
    {
        var p = HeteroLrParameters.FromJson("""{"early_stop": "weight_diff", "dp": {"epsilon": 4, "delta": 1e-6, "clip": 0.5}}""").Validate();
        Assert.Equal(new LabelDpSettings { Epsilon = 4, Delta = 1e-6, Clip = 0.5 }, p.Dp);
        Assert.Contains("\"dp\":{", p.ToJson());
        Assert.DoesNotContain("\"dp\"", new HeteroLrParameters().ToJson());
    }

    [Fact]
    public void For_CalibratesOverMaxIterAndReportsTheEpochsRun()
    {
        var plan = LabelDp.For(With(new LabelDpSettings { Epsilon = 4 }, epochs: 16))!;

        Assert.Equal(GaussianRdpAccountant.NoiseMultiplier(4, 1e-5, 16), plan.NoiseMultiplier);
        Assert.Equal(plan.NoiseMultiplier, plan.Sigma, 9); // clip 1: sensitivity min(2·clip, 1) = 1 residual unit
        var full = plan.Report(16);
        Assert.InRange(full.EpsilonSpent, 4 * (1 - 1e-6), 4);
        var early = plan.Report(5);
        Assert.True(early.EpsilonSpent < full.EpsilonSpent);
        Assert.Equal(0, plan.Report(0).EpsilonSpent);
        Assert.Equal(5, early.Epochs);
    }

    [Fact]
    public void For_SmallClip_ScalesTheNoiseWithTheSensitivity()
    {
        var plan = LabelDp.For(With(new LabelDpSettings { Epsilon = 4, Clip = 0.25 }))!;
        Assert.Equal(0.5 * plan.NoiseMultiplier, plan.Sigma, 9); // Δ = 2·clip = ½
        Assert.Null(LabelDp.For(new HeteroLrParameters()));
    }

    [Fact]
    public void NoisyResiduals_AreTheClippedShareWithGaussianNoiseOfSigma()
    {
        var parameters = With(new LabelDpSettings { Epsilon = 8 }, epochs: 10);
        var plan = LabelDp.For(parameters)!;
        const int n = 20_000;
        var scores = new double[n];
        var labels = Enumerable.Range(0, n).Select(i => i % 2 == 0 ? 1.0 : -1.0).ToArray();

        var noisy = plan.NoisyResiduals(scores, labels);

        double scale = Math.Pow(2, parameters.ValueBits);
        var noise = noisy.Select((v, i) => v / scale + 2 * labels[i]).ToArray(); // 4d units; u_g = 0 so the share is −2y
        double mean = noise.Average();
        double sd = Math.Sqrt(noise.Select(e => (e - mean) * (e - mean)).Sum() / (n - 1));
        double expected = 4 * plan.Sigma;
        Assert.InRange(sd, expected * 0.97, expected * 1.03);
        Assert.InRange(mean, -5 * expected / Math.Sqrt(n), 5 * expected / Math.Sqrt(n));
        Assert.NotEqual(noisy, plan.NoisyResiduals(scores, labels)); // fresh noise every call
    }

    [Fact]
    public void NoisyResiduals_ClipTheGuestShareBeforeTheNoise()
    {
        // clip 0.25 (residual units) = ±1 in 4d units; a guest score of 50 would otherwise give 50 − 2y.
        var parameters = With(new LabelDpSettings { Epsilon = 1000, Clip = 0.25 }, epochs: 1);
        var plan = LabelDp.For(parameters)!;
        const int n = 4_000;
        var noisy = plan.NoisyResiduals(Enumerable.Repeat(50.0, n).ToArray(), Enumerable.Repeat(1.0, n).ToArray());

        double mean = noisy.Average(v => v / Math.Pow(2, parameters.ValueBits));
        double standardError = 4 * plan.Sigma / Math.Sqrt(n); // noise sd in 4d units is 4σ
        Assert.InRange(mean, 1 - 8 * standardError, 1 + 8 * standardError);
    }
}
