using VerticalFL.Ml.Optimization;

namespace VerticalFL.Ml.Training;

/// <summary>The outcome of a centralised run: weights over the joined columns, intercept, loss per epoch.</summary>
public sealed record ReferenceResult(double[] Weights, double Intercept, IReadOnlyList<double> EpochLosses)
{
    /// <summary>Logistic-function probabilities for row-major <paramref name="x"/>.</summary>
    public double[] PredictProbabilities(ReadOnlySpan<double> x)
    {
        var rows = Enumerable.Range(0, x.Length / Weights.Length).ToArray();
        return TaylorLogistic.Scores(x, Weights.Length, rows, Weights).Select(s => TaylorLogistic.Sigmoid(s + Intercept)).ToArray();
    }
}

/// <summary>
/// Plaintext logistic regression on the joined columns, trained exactly the way the federated
/// protocol trains (Taylor loss, same batches, optimiser, schedule, penalty, per-party initial
/// weights and early stopping), so a federated run can be checked against it.
/// </summary>
public static class ReferenceTrainer
{
    /// <param name="x">Joined features, row-major: the guest's columns first, then each host's.</param>
    /// <param name="labels">{0, 1} per row.</param>
    /// <param name="partyColumns">Columns per party in <paramref name="x"/>, guest first; fixes each party's initial weights.</param>
    public static ReferenceResult Train(ReadOnlySpan<double> x, double[] labels, IReadOnlyList<int> partyColumns, LrSettings settings)
    {
        int columns = partyColumns.Sum();
        if (columns == 0 || x.Length != labels.Length * columns)
            throw new ArgumentException($"x has {x.Length} cells; {labels.Length} rows × {columns} columns expected.", nameof(x));
        var (weights, intercept) = InitialWeights(partyColumns, settings);
        var optimizer = Optimizer.Create(settings.Optimizer, columns + 1);
        var schedule = settings.ScheduleOver(labels.Length);
        var convergence = new ConvergenceCheck(settings.EarlyStop, settings.Tol);
        var losses = new List<double>();
        for (int epoch = 0; epoch < settings.Epochs; epoch++)
        {
            var before = weights.Append(intercept).ToArray();
            double lossSum = 0;
            foreach (var batch in schedule.Epoch(epoch))
                lossSum += Step(x, labels, batch, weights, ref intercept, optimizer, settings, settings.Schedule.At(epoch));
            losses.Add(lossSum / labels.Length);
            double moved = Math.Sqrt(before.Zip(weights.Append(intercept), (a, b) => (a - b) * (a - b)).Sum());
            if (convergence.IsConverged(losses[^1], moved))
                break;
        }
        return new ReferenceResult(weights, intercept, losses);
    }

    /// <summary>One mini-batch; returns the batch's summed loss (penalty weighted by the batch size).</summary>
    private static double Step(ReadOnlySpan<double> x, double[] labels, int[] batch, double[] weights, ref double intercept,
        Optimizer optimizer, LrSettings settings, double learningRate)
    {
        int columns = weights.Length;
        var scores = TaylorLogistic.Scores(x, columns, batch, weights);
        var residuals = new double[batch.Length];
        double loss = batch.Length * settings.PenaltyTerm.Loss(weights, columns);
        for (int i = 0; i < batch.Length; i++)
        {
            double u = scores[i] + intercept, y = TaylorLogistic.Signed(labels[batch[i]]);
            loss += TaylorLogistic.Loss(u, y);
            residuals[i] = TaylorLogistic.Residual(u, y);
        }
        var gradient = TaylorLogistic.Gradient(x, columns, batch, residuals).Append(residuals.Average()).ToArray();
        settings.PenaltyTerm.AddGradient(gradient, weights, columns);
        if (!settings.FitIntercept)
            gradient[^1] = 0;
        var delta = optimizer.Update(gradient, learningRate);
        for (int c = 0; c < columns; c++)
            weights[c] += delta[c];
        intercept += delta[^1];
        return loss;
    }

    /// <summary>Each party's initial block as it would draw it: the guest's features then its intercept, then each host.</summary>
    private static (double[] Weights, double Intercept) InitialWeights(IReadOnlyList<int> partyColumns, LrSettings settings)
    {
        var weights = new List<double>();
        double intercept = 0;
        for (int p = 0; p < partyColumns.Count; p++)
        {
            bool guest = p == 0;
            var block = WeightInit.Create(settings.Init, partyColumns[p] + (guest && settings.FitIntercept ? 1 : 0), settings.Seed, p);
            weights.AddRange(block.Take(partyColumns[p]));
            if (guest && settings.FitIntercept)
                intercept = block[^1];
        }
        return (weights.ToArray(), intercept);
    }
}
