using VerticalFL.Contracts.V1;
using VerticalFL.Protocol.Channels;

namespace VerticalFL.Protocol.Training;

/// <summary>The end-of-epoch round every data party takes part in: report the weight change, hear the decision.</summary>
internal static class EpochEnd
{
    public static async Task<EpochDecision> ExchangeAsync(IPartyChannel channel, string arbiter, int epoch,
        double[] before, double[] after, CancellationToken ct)
    {
        double squared = before.Zip(after, (a, b) => (a - b) * (a - b)).Sum();
        await channel.SendAsync(arbiter, new EpochSummary { WeightDiffSquared = squared }, Step.Of(epoch), ct);
        return await channel.ReceiveAsync<EpochDecision>(arbiter, Step.Of(epoch), ct);
    }
}
