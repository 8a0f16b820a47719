using System.Security.Cryptography;
using VerticalFL.Ml.Horizontal;
using VerticalFL.Ml.Optimization;

namespace VerticalFL.Protocol.Horizontal.Privacy;

/// <summary>
/// Record-level DP-SGD at a client (Abadi et al., "Deep Learning with Differential Privacy", CCS 2016, Algorithm 1): each
/// step samples every training row independently with probability q (Poisson, coins from the OS CSPRNG), computes each
/// sampled row's gradient, clips it (on the lattice of <see cref="LatticeMechanism"/>) to the clipping norm C, sums,
/// adds integer noise (discrete Gaussian σ = z·C, or discrete Laplace), and divides by the expected batch q·n. The step
/// count per round is fixed, ⌈n / batch_size⌉ per epoch, as the accountant assumes. FedProx's μ(w − w_global) is added
/// after the noise (it does not depend on the data). It trains at most <c>rounds</c> times: a further request is refused,
/// so the client's budget does not rest on the arbiter's honesty.
/// </summary>
public sealed class DpSgdTrainer(DenseNetwork network, HorizontalParameters parameters) : ILocalTrainer
{
    private ClientPrivacyPlan? _plan;
    private LatticeMechanism? _mechanism;
    private int _rounds;

    public LocalResult Train(ReadOnlySpan<double> globalWeights, ReadOnlySpan<double> features, ReadOnlySpan<double> labels,
        int[] trainRows, long batchSeed)
    {
        if (trainRows.Length == 0)
            throw new ArgumentException("a client needs at least one training row.", nameof(trainRows));
        var settings = parameters.Privacy!;
        _plan ??= PrivacyPlan.ForClient(parameters, trainRows.Length);
        _mechanism ??= new LatticeMechanism(settings, _plan.NoiseMultiplier, _plan.StepEpsilon);
        // The client enforces its own budget: an arbiter that asks for more rounds than the job's gets a refusal, not data.
        if (++_rounds > parameters.Rounds)
            throw new PrivacyBudgetException($"privacy.epsilon: the budget ε = {settings.Epsilon} covers {parameters.Rounds} rounds of local " +
                $"training; round {_rounds} was asked for and refused.");
        var weights = globalWeights.ToArray();
        var gradient = new double[weights.Length];
        var example = new double[weights.Length];
        var sum = new long[weights.Length];
        var optimizer = Optimizer.Create(parameters.Optimizer, weights.Length);
        double mu = parameters.Aggregation.Method == AggregationMethod.FedProx ? parameters.Aggregation.Mu : 0;
        double expectedBatch = _plan.SamplingRate * trainRows.Length;
        // P[coin < threshold] = threshold/2^32 ≤ q: the sampling rate used never exceeds the accounted one
        var threshold = (uint)Math.Min(uint.MaxValue, Math.Floor(_plan.SamplingRate * 4294967296.0));
        var coins = new uint[trainRows.Length];
        int[] one = new int[1];
        for (long step = 0; step < _plan.StepsPerRound; step++)
        {
            RandomNumberGenerator.Fill(System.Runtime.InteropServices.MemoryMarshal.AsBytes(coins.AsSpan()));
            Array.Clear(sum);
            for (int i = 0; i < trainRows.Length; i++)
            {
                if (_plan.SamplingRate < 1 && coins[i] >= threshold)
                    continue;
                one[0] = trainRows[i];
                network.LossAndGradient(weights, features, labels, one, example);
                _mechanism.AddClipped(example, sum);
            }
            _mechanism.AddNoise(sum);
            for (int i = 0; i < weights.Length; i++)
                gradient[i] = _mechanism.Granularity * sum[i] / expectedBatch + mu * (weights[i] - globalWeights[i]);
            var update = optimizer.Update(gradient, parameters.LearningRate);
            for (int i = 0; i < weights.Length; i++)
                weights[i] += update[i];
        }
        Array.Clear(coins);
        // The training loss is a statistic of the private rows: it is not reported (0) under record-level DP.
        return new LocalResult(weights, (int)_plan.StepsPerRound, 0, trainRows.Length);
    }
}
