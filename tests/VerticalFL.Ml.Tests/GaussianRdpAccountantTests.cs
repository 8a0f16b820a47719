using VerticalFL.Ml.Privacy;

namespace VerticalFL.Ml.Tests;

/// <summary>
/// The accountant against an independent computation: for r Gaussian releases of multiplier z the RDP curve is
/// ρ·α with ρ = r/(2z²), and min over all real α &gt; 1 of ρα + L/(α − 1) (L = log 1/δ) has the closed form
/// ρ + 2√(ρL), reached at α = 1 + √(L/ρ). The grid may only be above that, and barely.
/// </summary>
public sealed class GaussianRdpAccountantTests
{
    private static double ClosedForm(double z, int releases, double delta)
    {
        double rho = releases / (2 * z * z);
        double l = Math.Log(1 / delta);
        return rho + 2 * Math.Sqrt(rho * l);
    }

    [Theory]
    [InlineData(1.0, 1, 1e-5)]
    [InlineData(3.0, 20, 1e-5)]
    [InlineData(15.0, 16, 1e-5)]
    [InlineData(0.7, 100, 1e-6)]
    [InlineData(50.0, 10, 1e-3)]
    public void Epsilon_MatchesTheClosedFormOfTheGaussianCurve(double z, int releases, double delta)
    {
        double exact = ClosedForm(z, releases, delta);
        double grid = GaussianRdpAccountant.Epsilon(z, releases, delta);

        Assert.True(grid >= exact - 1e-12, $"grid {grid} below the continuous minimum {exact}");
        Assert.True(grid <= exact * 1.001, $"grid {grid} more than 0.1 % above the continuous minimum {exact}");
    }

    [Fact]
    public void Rdp_IsAlphaOverTwoZSquaredPerRelease()
    {
        Assert.Equal(3 * 2.5 / (2 * 1.5 * 1.5), GaussianRdpAccountant.Rdp(2.5, 1.5, 3), 12);
        Assert.Equal(0, GaussianRdpAccountant.Rdp(2.5, 1.5, 0));
    }

    [Fact]
    public void Epsilon_MoreEpochs_SpendMore()
    {
        double previous = 0;
        for (int epochs = 1; epochs <= 30; epochs++)
        {
            double epsilon = GaussianRdpAccountant.Epsilon(4.0, epochs, 1e-5);
            Assert.True(epsilon > previous, $"{epochs} epochs: ε {epsilon} not above {previous}");
            previous = epsilon;
        }
    }

    [Fact]
    public void Epsilon_MoreNoise_SpendsLess()
    {
        Assert.True(GaussianRdpAccountant.Epsilon(2, 10, 1e-5) > GaussianRdpAccountant.Epsilon(4, 10, 1e-5));
        Assert.Equal(0, GaussianRdpAccountant.Epsilon(2, 0, 1e-5));
    }

    [Theory]
    [InlineData(8.0, 1e-5, 20)]
    [InlineData(4.0, 1e-5, 16)]
    [InlineData(1.0, 1e-5, 16)]
    [InlineData(0.1, 1e-6, 5)]
    [InlineData(50.0, 1e-5, 1)]
    public void NoiseMultiplier_MeetsTheTargetWithinTolerance(double epsilon, double delta, int epochs)
    {
        double z = GaussianRdpAccountant.NoiseMultiplier(epsilon, delta, epochs);

        double spent = GaussianRdpAccountant.Epsilon(z, epochs, delta);
        Assert.True(spent <= epsilon, $"z {z} spends {spent} > {epsilon}");
        Assert.True(spent >= epsilon * (1 - 1e-6), $"z {z} spends only {spent}: more noise than needed");
        // Independent check: the closed form's z (solve ρ + 2√(ρL) = ε for ρ) needs at most as much noise.
        double l = Math.Log(1 / delta);
        double sqrtRho = Math.Sqrt(l + epsilon) - Math.Sqrt(l);
        double zClosed = Math.Sqrt(epochs / (2 * sqrtRho * sqrtRho));
        Assert.InRange(z, zClosed * (1 - 1e-9), zClosed * 1.002);
    }

    [Fact]
    public void NoiseMultiplier_EarlyStop_SpendsLessThanTheTarget()
    {
        double z = GaussianRdpAccountant.NoiseMultiplier(4, 1e-5, 20);
        double spent = GaussianRdpAccountant.Epsilon(z, 7, 1e-5);
        Assert.InRange(spent, ClosedForm(z, 7, 1e-5), ClosedForm(z, 7, 1e-5) * 1.001); // ≈ 2.29
        Assert.True(spent < 2.4);
    }

    [Theory]
    [InlineData(0, 1e-5, 1, "epsilon")]
    [InlineData(-1, 1e-5, 1, "epsilon")]
    [InlineData(double.NaN, 1e-5, 1, "epsilon")]
    [InlineData(1, 0, 1, "delta")]
    [InlineData(1, 1, 1, "delta")]
    [InlineData(1, 1e-5, 0, "releases")]
    public void NoiseMultiplier_BadArgument_IsNamed(double epsilon, double delta, int epochs, string name)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => GaussianRdpAccountant.NoiseMultiplier(epsilon, delta, epochs));
        Assert.Equal(name, error.ParamName);
    }
}
