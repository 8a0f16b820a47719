using VerticalFL.Ml.Metrics;
using VerticalFL.Ml.Optimization;
using VerticalFL.Ml.Training;

namespace VerticalFL.Ml.Tests;

public class TaylorAndReferenceTests
{
    [Theory]
    [InlineData(0.3, 1)]
    [InlineData(-0.2, -1)]
    public void Loss_NearZero_CloseToLogisticLoss(double u, double y)
    {
        double exact = Math.Log(1 + Math.Exp(-y * u));
        Assert.Equal(exact, TaylorLogistic.Loss(u, y), 3);
    }

    [Fact]
    public void Residual_IsDerivativeOfLoss()
    {
        const double h = 1e-6;
        foreach (var (u, y) in new[] { (0.7, 1.0), (-1.3, -1.0), (2.0, -1.0) })
        {
            double numeric = (TaylorLogistic.Loss(u + h, y) - TaylorLogistic.Loss(u - h, y)) / (2 * h);
            Assert.Equal(numeric, TaylorLogistic.Residual(u, y), 6);
        }
    }

    // Full-batch SGD without intercept or penalty, written as the plain gradient-descent recurrence
    // w ← w − η·(1/n)·Σ xᵢ(¼xᵢ·w − ½yᵢ), computed here by hand-rolled loops.
    [Fact]
    public void Train_FullBatchSgd_MatchesGradientDescentRecurrence()
    {
        double[] x = [1, 2, -1, 0.5, 0.5, -1, 2, 1];   // 4 rows × 2 columns
        double[] labels = [1, 0, 1, 0];
        var settings = new LrSettings
        {
            Epochs = 3, BatchSize = -1, LearningRate = 0.5, Optimizer = OptimizerKind.Sgd, Penalty = PenaltyKind.None,
            FitIntercept = false, EarlyStop = EarlyStopKind.Abs, Tol = -1,
        };
        var result = ReferenceTrainer.Train(x, labels, [1, 1], settings);

        double w0 = 0, w1 = 0;
        for (int t = 0; t < 3; t++)
        {
            double g0 = 0, g1 = 0;
            for (int i = 0; i < 4; i++)
            {
                double y = labels[i] == 1 ? 1 : -1, u = x[2 * i] * w0 + x[2 * i + 1] * w1, d = u / 4 - y / 2;
                g0 += x[2 * i] * d / 4;
                g1 += x[2 * i + 1] * d / 4;
            }
            w0 -= 0.5 * g0;
            w1 -= 0.5 * g1;
        }
        Assert.Equal(w0, result.Weights[0], 12);
        Assert.Equal(w1, result.Weights[1], 12);
        Assert.Equal(3, result.EpochLosses.Count);
    }

    [Fact]
    public void Train_SeparableData_ReachesHighAucAndFallingLoss()
    {
        var (x, labels) = Synthetic(400, 3, seed: 5);
        var settings = new LrSettings { Epochs = 15, BatchSize = 64, LearningRate = 0.1, Optimizer = OptimizerKind.Adam, Tol = 0 };
        var result = ReferenceTrainer.Train(x, labels, [2, 1], settings);
        Assert.True(result.EpochLosses[^1] < result.EpochLosses[0]);
        Assert.True(BinaryMetrics.Auc(result.PredictProbabilities(x), labels) > 0.95);
    }

    [Fact]
    public void Train_DiffEarlyStop_StopsBeforeMaxEpochs()
    {
        var (x, labels) = Synthetic(200, 2, seed: 9);
        var settings = new LrSettings { Epochs = 200, BatchSize = -1, LearningRate = 0.5, Optimizer = OptimizerKind.Sgd, Tol = 1e-3 };
        var result = ReferenceTrainer.Train(x, labels, [2], settings);
        Assert.InRange(result.EpochLosses.Count, 2, 199);
        Assert.True(Math.Abs(result.EpochLosses[^1] - result.EpochLosses[^2]) < 1e-3);
    }

    private static (double[] X, double[] Labels) Synthetic(int rows, int columns, long seed)
    {
        var random = new DeterministicRandom(seed);
        var x = new double[rows * columns];
        var labels = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double s = 0;
            for (int c = 0; c < columns; c++)
                s += (x[r * columns + c] = random.NextDouble() * 2 - 1) * (c + 1);
            labels[r] = s > 0 ? 1 : 0;
        }
        return (x, labels);
    }
}
