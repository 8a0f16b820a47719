using VerticalFL.Ml.Horizontal;
using VerticalFL.Ml.Optimization;
using VerticalFL.Ml.Training;

namespace VerticalFL.Protocol.Horizontal;

/// <summary>A client's local training in a round: plain (<see cref="LocalTrainer"/>) or record-level DP-SGD (Privacy/DpSgdTrainer).</summary>
public interface ILocalTrainer
{
    LocalResult Train(ReadOnlySpan<double> globalWeights, ReadOnlySpan<double> features, ReadOnlySpan<double> labels, int[] trainRows, long batchSeed);
}

/// <summary>What one client's local training produced in a round.</summary>
public sealed record LocalResult(double[] Weights, int LocalSteps, double LastEpochLossSum, long Rows);

/// <summary>
/// A client's local work in a round: <c>epochs_per_round</c> passes of mini-batches over its training rows, from the
/// global model, with a fresh optimiser of the job's kind (state is not carried across rounds: the global model
/// moved). FedProx adds μ(w − w_global) to every gradient, the gradient of μ/2‖w − w_global‖² (Li et al. 2020, eq. 2).
/// </summary>
public sealed class LocalTrainer(DenseNetwork network, HorizontalParameters parameters) : ILocalTrainer
{
    public LocalResult Train(ReadOnlySpan<double> globalWeights, ReadOnlySpan<double> features, ReadOnlySpan<double> labels,
        int[] trainRows, long batchSeed)
    {
        if (trainRows.Length == 0)
            throw new ArgumentException("a client needs at least one training row.", nameof(trainRows));
        var weights = globalWeights.ToArray();
        var gradient = new double[weights.Length];
        var optimizer = Optimizer.Create(parameters.Optimizer, weights.Length);
        double mu = parameters.Aggregation.Method == AggregationMethod.FedProx ? parameters.Aggregation.Mu : 0;
        int steps = 0;
        double lossSum = 0;
        var order = (int[])trainRows.Clone();
        var random = new DeterministicRandom(batchSeed);
        for (int epoch = 0; epoch < parameters.EpochsPerRound; epoch++)
        {
            Shuffle(order, random);
            lossSum = 0;
            for (int start = 0; start < order.Length; start += parameters.BatchSize)
            {
                var batch = order.AsSpan(start, Math.Min(parameters.BatchSize, order.Length - start));
                lossSum += network.LossAndGradient(weights, features, labels, batch, gradient);
                if (mu > 0)
                    for (int i = 0; i < weights.Length; i++)
                        gradient[i] += mu * (weights[i] - globalWeights[i]);
                var step = optimizer.Update(gradient, parameters.LearningRate);
                for (int i = 0; i < weights.Length; i++)
                    weights[i] += step[i];
                steps++;
            }
        }
        return new LocalResult(weights, steps, lossSum, trainRows.Length);
    }

    private static void Shuffle(int[] items, DeterministicRandom random)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
