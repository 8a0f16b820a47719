using VerticalFL.Ml.Horizontal;

namespace VerticalFL.Protocol.Tests.Horizontal;

public class DenseNetworkTests
{
    [Fact]
    public void LossAndGradient_Logistic_IsMeanOfResidualTimesFeatures()
    {
        // w = (0.5, −1), b = 0.25; rows (1, 2) y 1 and (−1, 0.5) y 0: g = mean((σ(z) − y)·(x, 1)).
        double[] weights = [0.5, -1, 0.25];
        double[] x = [1, 2, -1, 0.5];
        double[] y = [1, 0];
        var gradient = new double[3];
        double loss = new DenseNetwork(2, 2).LossAndGradient(weights, x, y, [0, 1], gradient);
        double p0 = 1 / (1 + Math.Exp(1.25)), p1 = 1 / (1 + Math.Exp(0.75));   // z = −1.25 and −0.75
        Assert.Equal(((p0 - 1) * 1 + p1 * -1) / 2, gradient[0], 12);
        Assert.Equal(((p0 - 1) * 2 + p1 * 0.5) / 2, gradient[1], 12);
        Assert.Equal((p0 - 1 + p1) / 2, gradient[2], 12);
        Assert.Equal(-Math.Log(p0) - Math.Log(1 - p1), loss, 12);
    }

    [Theory]
    [InlineData(2, new int[0])]       // logistic
    [InlineData(3, new int[0])]       // softmax
    [InlineData(2, new[] { 4 })]      // MLP, one hidden layer
    [InlineData(3, new[] { 4, 3 })]   // MLP, two hidden layers, softmax
    public void LossAndGradient_AnyShape_MatchesFiniteDifferences(int classes, int[] hidden)
    {
        var network = new DenseNetwork(3, classes, hidden);
        var weights = network.InitialParameters(seed: 5);
        for (int i = 0; i < weights.Length; i++)
            weights[i] += 0.1 * Math.Sin(i + 1);   // away from zero so every path carries gradient
        double[] x = [0.3, -1.2, 0.8, 1.5, 0.1, -0.4, -0.7, 0.9, 0.2];
        double[] y = [0, 1, classes - 1];
        int[] rows = [0, 1, 2];
        var gradient = new double[weights.Length];
        network.LossAndGradient(weights, x, y, rows, gradient);
        const double h = 1e-6;
        var scratch = new double[weights.Length];
        for (int i = 0; i < weights.Length; i++)
        {
            var plus = (double[])weights.Clone();
            var minus = (double[])weights.Clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (network.LossAndGradient(plus, x, y, rows, scratch) - network.LossAndGradient(minus, x, y, rows, scratch)) / (2 * h * rows.Length);
            Assert.Equal(numeric, gradient[i], 6);
        }
    }

    [Fact]
    public void Constructor_ThreeHiddenLayers_IsRefusedByName()
    {
        var error = Assert.Throws<ArgumentException>(() => new DenseNetwork(3, 2, [4, 4, 4]));
        Assert.Contains("at most 2", error.Message);
    }
}
