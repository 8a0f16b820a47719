using VerticalFL.Ml.Horizontal;
using VerticalFL.Ml.Metrics;
using VerticalFL.Ml.Optimization;
using VerticalFL.Protocol.Horizontal;

namespace VerticalFL.Protocol.Tests.Horizontal;

/// <summary>Each aggregation rule against a hand computation from its paper (docs/protocol/horizontal.md).</summary>
public class AggregationRuleTests
{
    private static double[] Aggregate(AggregationSettings settings, double[] global, params (double[] Delta, long N, int Tau)[] clients)
    {
        var contributions = clients.Select(c => ClientContribution.Of(settings.Method, c.Delta, c.N, c.Tau)).ToList();
        return new ServerAggregator(settings).Apply(global, new PlainSum().Sum(contributions));
    }

    [Fact]
    public void FedAvg_TwoClients_IsTheSampleWeightedMeanOfTheDeltas()
    {
        // (100·0.3 + 300·0.1)/400 = 0.15; (100·(−0.6) + 300·0.2)/400 = 0. Unweighted would give 0.2 and −0.2.
        var next = Aggregate(new AggregationSettings { Method = AggregationMethod.FedAvg }, [1.0, 2.0],
            ([0.3, -0.6], 100, 5), ([0.1, 0.2], 300, 7));
        Assert.Equal(1.15, next[0], 12);
        Assert.Equal(2.0, next[1], 12);
    }

    [Fact]
    public void FedNova_UnequalLocalSteps_NormalisesByStepsThenScalesByTauEffective()
    {
        // p = (¼, ¾); d = (0.4/4, 0.3/1); τ_eff = ¼·4 + ¾·1 = 1.75; w = 1 + 1.75·(¼·0.1 + ¾·0.3) = 1.4375 (FedAvg: 1.325).
        var next = Aggregate(new AggregationSettings { Method = AggregationMethod.FedNova }, [1.0], ([0.4], 100, 4), ([0.3], 300, 1));
        Assert.Equal(1.4375, next[0], 12);
    }

    [Theory]
    // Δ = 0.2, β₁ 0.9, β₂ 0.99, τ 1e-3, η 0.1, v₋₁ = τ²: m = 0.02;
    [InlineData(ServerOptimizer.Adam, 1.0951260516755887)]     // v = 0.99·1e-6 + 0.01·0.04
    [InlineData(ServerOptimizer.Yogi, 1.0951249219725039)]     // v = 1e-6 − 0.01·0.04·sign(1e-6 − 0.04)
    [InlineData(ServerOptimizer.Adagrad, 1.0099501249992187)]  // v = 1e-6 + 0.04
    public void FedOpt_FirstRound_MatchesReddiAlgorithm2(ServerOptimizer optimizer, double expected)
    {
        var settings = new AggregationSettings { Method = AggregationMethod.FedOpt, ServerOptimizer = optimizer, ServerLearningRate = 0.1, Tau = 1e-3 };
        var next = Aggregate(settings, [1.0], ([0.2], 10, 1), ([0.2], 30, 3));
        Assert.Equal(expected, next[0], 12);
    }

    [Fact]
    public void FedAdam_SecondRound_CarriesMomentsAcrossRounds()
    {
        var settings = new AggregationSettings { Method = AggregationMethod.FedOpt, ServerOptimizer = ServerOptimizer.Adam, ServerLearningRate = 0.1, Tau = 1e-3 };
        var aggregator = new ServerAggregator(settings);
        var first = aggregator.Apply([1.0], new PlainSum().Sum([ClientContribution.Of(AggregationMethod.FedOpt, [0.2], 1, 1)]));
        var second = aggregator.Apply(first, new PlainSum().Sum([ClientContribution.Of(AggregationMethod.FedOpt, [-0.1], 1, 1)]));
        // m = 0.9·0.02 − 0.01 = 0.008, v = 0.99·0.00040099 + 0.01·0.01 = 0.0004969801.
        Assert.Equal(first[0] + 0.1 * 0.008 / (Math.Sqrt(0.0004969801) + 1e-3), second[0], 12);
    }

    [Fact]
    public void FedProx_TwoLocalSteps_AddsMuTimesDistanceToGlobalToTheGradient()
    {
        // Rows x = 1 (y 1) and x = −2 (y 0), full batch, SGD lr 0.1, μ 0.5, from w_g = (0.5, 0), computed by hand
        // (step 1 has no proximal pull, step 2 adds μ(w₁ − w_g)). Without the term: (0.58929, 0.01109).
        var parameters = new HorizontalParameters
        {
            EpochsPerRound = 2, BatchSize = 2, LearningRate = 0.1, Optimizer = OptimizerKind.Sgd,
            Aggregation = new AggregationSettings { Method = AggregationMethod.FedProx, Mu = 0.5 },
        };
        var result = new LocalTrainer(new DenseNetwork(1, 2), parameters).Train([0.5, 0.0], [1.0, -2.0], [1.0, 0.0], [0, 1], batchSeed: 1);
        Assert.Equal(0.586997010592671, result.Weights[0], 12);
        Assert.Equal(0.010820200910238269, result.Weights[1], 12);
        Assert.Equal(2, result.LocalSteps);
    }

    [Fact]
    public void HistogramAuc_FineBins_MatchesExactAuc()
    {
        double[] scores = [0.91, 0.15, 0.47, 0.62, 0.33, 0.78, 0.05, 0.52];
        double[] labels = [1, 0, 1, 0, 0, 1, 0, 1];
        var positive = new long[1000];
        var negative = new long[1000];
        for (int i = 0; i < scores.Length; i++)
            (labels[i] == 1 ? positive : negative)[(int)(scores[i] * 1000)]++;
        Assert.Equal(BinaryMetrics.Auc(scores, labels), Validation.HistogramAuc(positive, negative)!.Value, 12);
    }
}
