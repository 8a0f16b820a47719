using VerticalFL.Contracts.V1;
using VerticalFL.Ml.Data;
using VerticalFL.Ml.Training;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Models;

namespace VerticalFL.Protocol.Prediction;

/// <summary>One scored row: the id, P(y = 1) and the label at the threshold.</summary>
public sealed record PredictionRow(string Id, double Probability, int Label);

/// <summary>
/// The guest's side of batch federated prediction: asks every host for its partial scores x_h·w_h over the
/// given ids, adds its own x_g·w_g + b, and outputs probabilities and labels. With one host the guest learns
/// that host's partial score (it is the model's score minus the guest's part); with several, it relays their
/// mask keys and receives masked scores whose masks cancel in the sum, so it learns Σ_h x_h·w_h per row and
/// no single host's part (docs/protocol/prediction.md, docs/security.md).
/// </summary>
public sealed class GuestPredictor(IPartyChannel channel, IReadOnlyList<string> hosts, GuestModelPart model)
{
    /// <param name="data">The guest's rows to score; every host must hold the same ids.</param>
    public async Task<IReadOnlyList<PredictionRow>> PredictAsync(Dataset data, double threshold = 0.5, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, 1.0);
        if (hosts.Count > MaskedScores.MaxHosts)
            throw new BadInputException($"prediction supports at most {MaskedScores.MaxHosts} hosts (got {hosts.Count}).");
        var scores = PartialScorer.Scores(data, model.FeatureNames, model.Scaler, model.Weights);
        var request = new PredictionRequest();
        request.Ids.AddRange(data.Ids);
        await channel.BroadcastAsync(hosts, request, Step.None, ct);
        if (hosts.Count > 1)
            await RelayMaskKeysAsync(ct);
        var replies = await Task.WhenAll(hosts.Select(h => channel.ReceiveAsync<PartialScores>(h, ct)));
        for (int k = 0; k < hosts.Count; k++)
        {
            if (replies[k].Error.Length > 0)
                throw new BadInputException($"host '{hosts[k]}': {replies[k].Error}");
            int count = hosts.Count == 1 ? replies[k].Scores.Count : replies[k].Masked.Count;
            if (count != scores.Length)
                throw new InvalidOperationException($"Host '{hosts[k]}' sent {count} scores for {scores.Length} ids.");
        }
        AddHostScores(scores, replies);
        return scores.Select((s, i) =>
        {
            double p = TaylorLogistic.Sigmoid(s + model.Intercept);
            return new PredictionRow(data.Ids[i], p, p >= threshold ? 1 : 0);
        }).ToArray();
    }

    /// <summary>Every host's fresh mask key goes to every host; the guest sees only public keys.</summary>
    private async Task RelayMaskKeysAsync(CancellationToken ct)
    {
        var keys = await Task.WhenAll(hosts.Select(h => channel.ReceiveAsync<PredictionMaskKey>(h, ct)));
        var relay = new PredictionMaskKeys();
        for (int k = 0; k < hosts.Count; k++)
            relay.PublicKeys[hosts[k]] = keys[k].PublicKey;
        await channel.BroadcastAsync(hosts, relay, Step.None, ct);
    }

    /// <summary>One host: its plain partial scores. Several: the sum of their masked words mod 2^64, where the masks cancel.</summary>
    private void AddHostScores(double[] scores, PartialScores[] replies)
    {
        if (replies.Length == 1)
        {
            for (int i = 0; i < scores.Length; i++)
                scores[i] += replies[0].Scores[i];
            return;
        }
        for (int i = 0; i < scores.Length; i++)
        {
            ulong sum = 0;
            foreach (var reply in replies)
                sum = unchecked(sum + reply.Masked[i]);
            scores[i] += MaskedScores.Decode(sum);
        }
    }
}
