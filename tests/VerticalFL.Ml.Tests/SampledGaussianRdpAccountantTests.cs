using VerticalFL.Ml.Privacy;

namespace VerticalFL.Ml.Tests;

/// <summary>The subsampled-Gaussian accountant against closed forms and against published DP-SGD figures.</summary>
public sealed class SampledGaussianRdpAccountantTests
{
    /// <summary>
    /// TensorFlow Privacy's MNIST DP-SGD tutorial (github.com/tensorflow/privacy, tutorials/README.md, "Select Parameters"
    /// table, and tutorials/mnist_dpsgd_tutorial.py): 60,000 training examples, batch 256 so q = 256/60000, Poisson
    /// sampling assumed by its RDP accountant, 60000 // 256 = 234 steps per epoch, δ = 1e-5. Published ε: z 1.12 for 60
    /// epochs → 2.92; z 0.6 for 30 epochs → 9.74; z 1.2 for 10 epochs → 1.20 (two decimals). The tutorial's orders
    /// include fractional ones between 1.1 and 10.9, which can only lower ε against our integer orders, so ours may sit
    /// a little above the published figure and never below its rounding.
    /// </summary>
    [Theory]
    [InlineData(1.12, 60, 2.92)]
    [InlineData(0.6, 30, 9.74)]
    [InlineData(1.2, 10, 1.20)]
    public void Epsilon_TensorFlowPrivacyMnistTutorial_MatchesThePublishedTable(double z, int epochs, double published)
    {
        double epsilon = SampledGaussianRdpAccountant.Epsilon(256.0 / 60000, z, epochs * (60000 / 256), 1e-5);
        Assert.InRange(epsilon, published - 0.005, published + 0.03);
    }

    [Theory]
    [InlineData(2, 1.0)]
    [InlineData(7, 0.8)]
    [InlineData(64, 3.0)]
    public void StepRdp_QEqualsOne_IsAlphaOverTwoZSquared(int alpha, double z)
    {
        Assert.Equal(alpha / (2 * z * z), SampledGaussianRdpAccountant.StepRdp(alpha, 1.0, z), 12);
        // the general sum at q just below 1 must agree (its last term dominates): checks the log-sum-exp path
        Assert.Equal(alpha / (2 * z * z), SampledGaussianRdpAccountant.StepRdp(alpha, 1 - 1e-12, z), 6);
    }

    [Theory]
    [InlineData(0.01, 1.0)]
    [InlineData(0.3, 0.7)]
    [InlineData(0.004, 1.12)]
    public void StepRdp_OrderTwo_MatchesItsClosedForm(double q, double z)
    {
        // α = 2: A₂ = (1 − q)² + 2q(1 − q) + q²·e^{1/z²} = 1 + q²(e^{1/z²} − 1).
        double expected = Math.Log(1 + q * q * (Math.Exp(1 / (z * z)) - 1));
        Assert.Equal(expected, SampledGaussianRdpAccountant.StepRdp(2, q, z), 12);
    }

    [Fact]
    public void Epsilon_QEqualsOne_IsTheIntegerOrderMinimumOfTheGaussianCurve()
    {
        // T steps at q = 1: ε = min over integer α ≥ 2 of T·α/(2z²) + log(1/δ)/(α − 1), computed here directly.
        double z = 4, delta = 1e-5;
        int steps = 30;
        double expected = Enumerable.Range(2, 255).Min(a => steps * a / (2 * z * z) + Math.Log(1 / delta) / (a - 1));
        Assert.Equal(expected, SampledGaussianRdpAccountant.Epsilon(1, z, steps, delta), 12);
        // and is at most 1 % above the plain Gaussian accountant's (real orders: here the best α ≈ 4.5 falls between integers)
        double real = GaussianRdpAccountant.Epsilon(z, steps, delta);
        Assert.InRange(SampledGaussianRdpAccountant.Epsilon(1, z, steps, delta), real - 1e-9, real * 1.01);
    }

    [Fact]
    public void Epsilon_Subsampling_Amplifies()
    {
        double full = SampledGaussianRdpAccountant.Epsilon(1, 1.0, 100, 1e-5);
        double sampled = SampledGaussianRdpAccountant.Epsilon(0.01, 1.0, 100, 1e-5);
        Assert.True(sampled < full / 10, $"q = 0.01 gives {sampled}, q = 1 gives {full}");
        Assert.Equal(0, SampledGaussianRdpAccountant.Epsilon(0.01, 1.0, 0, 1e-5));
    }

    [Theory]
    [InlineData(1.0, 0.02, 1000)]
    [InlineData(4.0, 0.0128, 2340)]
    [InlineData(8.0, 1.0, 30)]
    public void NoiseMultiplier_MeetsTheTargetTightly(double epsilon, double q, long steps)
    {
        double z = SampledGaussianRdpAccountant.NoiseMultiplier(epsilon, 1e-5, q, steps);
        Assert.True(SampledGaussianRdpAccountant.Epsilon(q, z, steps, 1e-5) <= epsilon);
        Assert.True(SampledGaussianRdpAccountant.Epsilon(q, z * 0.999, steps, 1e-5) > epsilon, "a smaller z would not do");
    }

    [Fact]
    public void NoiseMultiplier_BeyondTheCap_Throws()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SampledGaussianRdpAccountant.NoiseMultiplier(0.01, 1e-5, 1, 1000, maxMultiplier: 100));
        Assert.Contains("above 100", error.Message);
    }

    [Fact]
    public void Laplace_SubsampledComposition_RoundTripsAndAmplifies()
    {
        // log(1 + 0.1·(e¹ − 1)) per step = 0.15859…; 10 steps
        Assert.Equal(10 * Math.Log(1 + 0.1 * (Math.E - 1)), SubsampledLaplaceAccountant.Epsilon(0.1, 1, 10), 12);
        double step = SubsampledLaplaceAccountant.StepEpsilon(2.0, 0.05, 400);
        Assert.Equal(2.0, SubsampledLaplaceAccountant.Epsilon(0.05, step, 400), 9);
        Assert.True(step > 2.0 / 400 * 10, "sampling lets each step spend far more than ε/T");
    }
}
