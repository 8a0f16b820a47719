using VerticalFL.Contracts.V1;
using VerticalFL.Ml.Training;
using VerticalFL.Protocol.Channels;

namespace VerticalFL.Protocol.Training;

/// <summary>One batch of a data party's epoch: its step, the batch's id in the job's order, its rows, the learning rate.</summary>
internal delegate Task BatchStep(Step step, int batchId, int[] rows, double learningRate, CancellationToken ct);

/// <summary>What the guest and every host do alike in an epoch: each batch in the job's order, then the end-of-epoch round.</summary>
internal static class EpochEnd
{
    /// <summary>Runs the epoch's batches through <paramref name="batch"/>, then reports the weight change and hears the decision.</summary>
    public static async Task<(EpochDecision Decision, double LearningRate)> RunAsync(IPartyChannel channel, string arbiter,
        HeteroLrParameters parameters, BatchSchedule schedule, int epoch, PartyLearner learner, BatchStep batch, CancellationToken ct)
    {
        double learningRate = parameters.Schedule.At(epoch);
        var before = learner.Weights.ToArray();
        var batches = schedule.Epoch(epoch);
        var ids = schedule.Order(epoch);
        for (int b = 0; b < batches.Length; b++)
            await batch(Step.Of(epoch, b), ids[b], batches[b], learningRate, ct);
        return (await ExchangeAsync(channel, arbiter, epoch, before, learner.Weights, ct), learningRate);
    }

    private static async Task<EpochDecision> ExchangeAsync(IPartyChannel channel, string arbiter, int epoch,
        double[] before, double[] after, CancellationToken ct)
    {
        double squared = before.Zip(after, (a, b) => (a - b) * (a - b)).Sum();
        await channel.SendAsync(arbiter, new EpochSummary { WeightDiffSquared = squared }, Step.Of(epoch), ct);
        return await channel.ReceiveAsync<EpochDecision>(arbiter, Step.Of(epoch), ct);
    }
}
