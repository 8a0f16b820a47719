using VerticalFL.Ml.Optimization;

namespace VerticalFL.Ml.Tests;

public class PenaltyAndScheduleTests
{
    [Fact]
    public void AddGradient_L2_AddsAlphaTimesWeightExceptIntercept()
    {
        var gradient = new double[] { 1, 1, 1 };
        new Penalty(PenaltyKind.L2, 0.1).AddGradient(gradient, [2, -4, 10], featureCount: 2);
        Assert.Equal([1.2, 0.6, 1.0], gradient.Select(g => Math.Round(g, 12)));
    }

    [Fact]
    public void AddGradient_L1_AddsAlphaTimesSign()
    {
        var gradient = new double[] { 0, 0, 0 };
        new Penalty(PenaltyKind.L1, 0.5).AddGradient(gradient, [2, -4, 0], featureCount: 3);
        Assert.Equal([0.5, -0.5, 0.0], gradient);
    }

    [Fact]
    public void Loss_L2AndL1_MatchHandValues()
    {
        double[] w = [3, -4, 100];
        Assert.Equal(0.1 * 0.5 * 25, new Penalty(PenaltyKind.L2, 0.1).Loss(w, 2), 12);
        Assert.Equal(0.1 * 7, new Penalty(PenaltyKind.L1, 0.1).Loss(w, 2), 12);
        Assert.Equal(0, Penalty.None.Loss(w, 2));
    }

    [Theory]
    [InlineData(DecayKind.Constant, 7, 0.2)]
    [InlineData(DecayKind.Step, 9, 0.2)]
    [InlineData(DecayKind.Step, 10, 0.1)]
    [InlineData(DecayKind.Step, 25, 0.05)]
    [InlineData(DecayKind.Linear, 0, 0.2)]
    [InlineData(DecayKind.Linear, 15, 0.2 / 20 * 5)]
    [InlineData(DecayKind.InverseSqrt, 6, 0.1)] // 0.2 / √(1 + 0.5·6)
    public void At_Epoch_GivesScheduledRate(DecayKind kind, int epoch, double expected)
    {
        var schedule = new LearningRateSchedule(kind, 0.2, Epochs: 20, DecayRate: 0.5, DecaySteps: 10);
        Assert.Equal(expected, schedule.At(epoch), 12);
    }

    [Fact]
    public void Create_RandomUniformSameSeed_SameWeightsPerPartyAndDifferentAcrossParties()
    {
        var guest = WeightInit.Create(InitKind.RandomUniform, 5, 42, 0);
        Assert.Equal(guest, WeightInit.Create(InitKind.RandomUniform, 5, 42, 0));
        Assert.NotEqual(guest, WeightInit.Create(InitKind.RandomUniform, 5, 42, 1));
        Assert.All(guest, w => Assert.InRange(w, -0.5, 0.5));
        Assert.All(WeightInit.Create(InitKind.Zeros, 3, 42, 0), w => Assert.Equal(0, w));
    }
}
