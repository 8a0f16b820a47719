using VerticalFL.Ml.Data;
using VerticalFL.Ml.Optimization;
using VerticalFL.Ml.Training;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Training;

namespace VerticalFL.Protocol.Tests.Training;

public class HeteroLrParametersTests
{
    public static TheoryData<string, HeteroLrParameters> BadParameters => new()
    {
        { "max_iter", new HeteroLrParameters { Epochs = 0 } },
        { "batch_size", new HeteroLrParameters { BatchSize = 0 } },
        { "batch_size", new HeteroLrParameters { BatchSize = -5 } },
        { "learning_rate", new HeteroLrParameters { LearningRate = 0 } },
        { "learning_rate", new HeteroLrParameters { LearningRate = double.NaN } },
        { "alpha", new HeteroLrParameters { Alpha = -0.1 } },
        { "validation_freq", new HeteroLrParameters { ValidationFreq = -1 } },
        { "value_bits", new HeteroLrParameters { ValueBits = 60 } },
        { "feature_bits", new HeteroLrParameters { FeatureBits = 15 } },
        { "key_bits", new HeteroLrParameters { KeyBits = 1024 } },
        { "decay_steps", new HeteroLrParameters { DecaySteps = 0 } },
        { "optimizer", new HeteroLrParameters { Optimizer = (OptimizerKind)42 } },
    };

    [Theory]
    [MemberData(nameof(BadParameters))]
    public void Validate_BadParameter_ThrowsNamingIt(string name, HeteroLrParameters parameters)
    {
        var e = Assert.Throws<ArgumentException>(() => parameters.Validate());
        Assert.Equal(name, e.ParamName);
        Assert.StartsWith(name + ":", e.Message);
    }

    [Fact]
    public void Validate_TwoHostsWithLossEarlyStop_ThrowsNamingEarlyStop()
    {
        var e = Assert.Throws<ArgumentException>(() => new HeteroLrParameters { EarlyStop = EarlyStopKind.Diff }.Validate(hostCount: 2));
        Assert.Equal("early_stop", e.ParamName);
    }

    [Fact]
    public void GuestTrainer_DataWithoutLabels_ThrowsNamingTrain()
    {
        var (_, hosts) = LrFederation.Data(100, 2, [2]);
        var channel = new InMemoryFederation(["guest", "host0", "arbiter"]).Channel("guest", "j");
        var e = Assert.Throws<ArgumentException>(() => new GuestTrainer(channel, LrFederation.Roles(1), new HeteroLrParameters(), hosts[0]));
        Assert.Equal("train", e.ParamName);
    }

    [Fact]
    public void FromJson_FateNames_MapToParameters()
    {
        var p = HeteroLrParameters.FromJson("""
            {"max_iter": 20, "batch_size": 240, "learning_rate": 0.15, "optimizer": "rmsprop", "penalty": "l2", "alpha": 0.01,
             "init": "random_uniform", "early_stop": "weight_diff", "decay": "inverse_sqrt", "gradient_mode": "arbiter_steps"}
            """);
        Assert.Equal(20, p.Epochs);
        Assert.Equal(240, p.BatchSize);
        Assert.Equal(OptimizerKind.Rmsprop, p.Optimizer);
        Assert.Equal(PenaltyKind.L2, p.Penalty);
        Assert.Equal(InitKind.RandomUniform, p.Init);
        Assert.Equal(EarlyStopKind.WeightDiff, p.EarlyStop);
        Assert.Equal(DecayKind.InverseSqrt, p.Decay);
        Assert.Equal(GradientMode.ArbiterSteps, p.GradientMode);
        Assert.Equal(p, HeteroLrParameters.FromJson(p.ToJson()));
        // Only parameters are written: not LrSettings' derived values, nor the test-only key floor.
        var names = System.Text.Json.Nodes.JsonNode.Parse(p.ToJson())!.AsObject().Select(kv => kv.Key).ToList();
        Assert.Contains("batch_size", names);
        Assert.Contains("key_bits", names);
        Assert.DoesNotContain("schedule", names);
        Assert.DoesNotContain("penalty_term", names);
        Assert.DoesNotContain("accepted_key_bits", names);
    }

    [Fact]
    public void FromJson_UnknownName_Refused()
    {
        var e = Assert.Throws<ArgumentException>(() => HeteroLrParameters.FromJson("""{"learning_rat": 0.1}"""));
        Assert.Contains("learning_rat", e.Message);
    }
}
