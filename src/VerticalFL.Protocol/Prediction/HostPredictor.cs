using Google.Protobuf;
using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.Masking;
using VerticalFL.Ml.Data;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Models;

namespace VerticalFL.Protocol.Prediction;

/// <summary>
/// A host's side of batch federated prediction: answers one request with its partial scores. With several
/// hosts they go masked (docs/protocol/prediction.md): the guest can add them up but not tell them apart.
/// </summary>
/// <param name="hosts">Every host of the job, this one included, from this host's own copy of the spec; null when it is the only one.</param>
public sealed class HostPredictor(IPartyChannel channel, string guest, HostModelPart model, IReadOnlyList<string>? hosts = null)
{
    /// <param name="data">The host's rows; the guest's ids are looked up here, in the guest's order.</param>
    public async Task ServeAsync(Dataset data, CancellationToken ct = default)
    {
        var request = await channel.ReceiveAsync<PredictionRequest>(guest, ct);
        var others = (hosts ?? []).Where(h => h != channel.Self).ToList();
        using var mask = others.Count > 0 ? new PairwiseMask() : null;
        Dictionary<string, byte[]>? peerKeys = null;
        if (mask is not null)
            peerKeys = await ExchangeKeysAsync(mask, others, ct);

        var reply = new PartialScores();
        try
        {
            var scores = PartialScorer.Scores(data.SelectRows(request.Ids), model.FeatureNames, model.Scaler, model.Weights);
            if (mask is null)
                reply.Scores.AddRange(scores);
            else
                reply.Masked.AddRange(Masked(mask, peerKeys!, scores));
        }
        catch (BadInputException e)
        {
            reply.Error = e.Message;
        }
        await channel.SendAsync(guest, reply, ct);
        if (reply.Error.Length > 0)
            throw new BadInputException(reply.Error);
    }

    private ulong[] Masked(PairwiseMask mask, Dictionary<string, byte[]> peerKeys, double[] scores)
    {
        var words = MaskedScores.Encode(scores);
        mask.Apply(channel.Self, peerKeys, channel.JobId, words);
        return words;
    }

    /// <summary>Sends our fresh key through the guest and takes the other hosts' keys back, checking the set is the job's.</summary>
    private async Task<Dictionary<string, byte[]>> ExchangeKeysAsync(PairwiseMask mask, List<string> others, CancellationToken ct)
    {
        byte[] own = mask.PublicKey;
        await channel.SendAsync(guest, new PredictionMaskKey { PublicKey = ByteString.CopyFrom(own) }, ct);
        var relayed = await channel.ReceiveAsync<PredictionMaskKeys>(guest, ct);
        var expected = others.Append(channel.Self).Order(StringComparer.Ordinal);
        if (!relayed.PublicKeys.Keys.Order(StringComparer.Ordinal).SequenceEqual(expected)
            || !relayed.PublicKeys[channel.Self].Span.SequenceEqual(own))
            throw new InvalidOperationException(
                $"the guest relayed mask keys for [{string.Join(", ", relayed.PublicKeys.Keys)}], not this job's hosts with this host's own key.");
        return others.ToDictionary(h => h, h => relayed.PublicKeys[h].ToByteArray());
    }
}
