using VerticalFL.Contracts.V1;
using VerticalFL.Ml.Data;
using VerticalFL.Ml.Training;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Models;

namespace VerticalFL.Protocol.Prediction;

/// <summary>One scored row: the id, P(y = 1) and the label at the threshold.</summary>
public sealed record PredictionRow(string Id, double Probability, int Label);

/// <summary>
/// The guest's side of batch federated prediction: asks every host for its partial scores x_h·w_h
/// over the given ids, adds its own x_g·w_g + b, and outputs probabilities and labels. The hosts'
/// partial scores are revealed to the guest (docs/security.md).
/// </summary>
public sealed class GuestPredictor(IPartyChannel channel, IReadOnlyList<string> hosts, GuestModelPart model)
{
    /// <param name="data">The guest's rows to score; every host must hold the same ids.</param>
    public async Task<IReadOnlyList<PredictionRow>> PredictAsync(Dataset data, double threshold = 0.5, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, 1.0);
        var scores = PartialScorer.Scores(data, model.FeatureNames, model.Scaler, model.Weights);
        var request = new PredictionRequest();
        request.Ids.AddRange(data.Ids);
        await channel.BroadcastAsync(hosts, request, Step.None, ct);
        var replies = await Task.WhenAll(hosts.Select(h => channel.ReceiveAsync<PartialScores>(h, ct)));
        for (int k = 0; k < hosts.Count; k++)
        {
            if (replies[k].Error.Length > 0)
                throw new BadInputException($"host '{hosts[k]}': {replies[k].Error}");
            if (replies[k].Scores.Count != scores.Length)
                throw new InvalidOperationException($"Host '{hosts[k]}' sent {replies[k].Scores.Count} scores for {scores.Length} ids.");
            for (int i = 0; i < scores.Length; i++)
                scores[i] += replies[k].Scores[i];
        }
        return scores.Select((s, i) =>
        {
            double p = TaylorLogistic.Sigmoid(s + model.Intercept);
            return new PredictionRow(data.Ids[i], p, p >= threshold ? 1 : 0);
        }).ToArray();
    }
}
