using VerticalFL.Ml.Optimization;

namespace VerticalFL.Ml.Tests;

public class OptimizerTests
{
    private const double Lr = 0.1;

    // Two steps with gradients 2 then −1, updates worked out by hand from each paper's rule.
    [Theory]
    [InlineData(OptimizerKind.Sgd, -0.2, 0.1)]
    [InlineData(OptimizerKind.Momentum, -0.2, -0.08)]            // v2 = .9·(−.2) + .1
    [InlineData(OptimizerKind.Nesterov, -0.38, 0.028)]          // −.9·0 + 1.9·(−.2); −.9·(−.2) + 1.9·(−.08)
    [InlineData(OptimizerKind.Adagrad, -0.1, 0.04472135955)]    // .1·1/√5
    [InlineData(OptimizerKind.Adam, -0.1, -0.0266337)]          // m̂ = .08/.19, v̂ = .004996/.001999
    public void Update_TwoSteps_MatchesHandComputedValues(OptimizerKind kind, double first, double second)
    {
        var optimizer = Optimizer.Create(kind, 1);
        Assert.Equal(first, optimizer.Update([2.0], Lr)[0], 6);
        Assert.Equal(second, optimizer.Update([-1.0], Lr)[0], 6);
    }

    [Fact]
    public void Update_RmspropFirstStep_IsTenTimesLearningRate()
    {
        // E = 0.01·g², so g/√E = 10·sign(g).
        var optimizer = Optimizer.Create(OptimizerKind.Rmsprop, 2);
        var delta = optimizer.Update([3.0, -0.5], Lr);
        Assert.Equal(-1.0, delta[0], 6);
        Assert.Equal(1.0, delta[1], 6);
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd)]
    [InlineData(OptimizerKind.Momentum)]
    [InlineData(OptimizerKind.Nesterov)]
    [InlineData(OptimizerKind.Adagrad)]
    [InlineData(OptimizerKind.Rmsprop)]
    [InlineData(OptimizerKind.Adam)]
    public void Update_QuadraticBowl_ConvergesToMinimum(OptimizerKind kind)
    {
        var optimizer = Optimizer.Create(kind, 1);
        double w = 0, lr = kind is OptimizerKind.Adagrad ? 1.0 : 0.05;
        for (int i = 0; i < 3000; i++)
            w += optimizer.Update([w - 3], kind is OptimizerKind.Rmsprop or OptimizerKind.Adam ? lr / (1 + i / 100.0) : lr)[0];
        Assert.InRange(w, 2.95, 3.05);
    }

    [Theory]
    [InlineData(OptimizerKind.Nesterov)]
    [InlineData(OptimizerKind.Adam)]
    public void Restore_FromState_ContinuesIdentically(OptimizerKind kind)
    {
        var uninterrupted = Optimizer.Create(kind, 2);
        var first = Optimizer.Create(kind, 2);
        foreach (var o in new[] { uninterrupted, first })
            o.Update([1.0, -2.0], Lr);
        var resumed = Optimizer.Restore(first.State, 2);
        Assert.Equal(uninterrupted.Update([0.5, 0.25], Lr), resumed.Update([0.5, 0.25], Lr));
    }

    [Fact]
    public void Restore_WrongSize_Throws()
    {
        var state = Optimizer.Create(OptimizerKind.Adam, 3).State;
        Assert.Throws<ArgumentException>(() => Optimizer.Restore(state, 2));
    }
}
