using VerticalFL.Contracts.V1;
using VerticalFL.Ml.Data;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Models;

namespace VerticalFL.Protocol.Prediction;

/// <summary>A host's side of batch federated prediction: answers one request with its partial scores.</summary>
public sealed class HostPredictor(IPartyChannel channel, string guest, HostModelPart model)
{
    /// <param name="data">The host's rows; the guest's ids are looked up here, in the guest's order.</param>
    public async Task ServeAsync(Dataset data, CancellationToken ct = default)
    {
        var request = await channel.ReceiveAsync<PredictionRequest>(guest, ct);
        var reply = new PartialScores();
        try
        {
            reply.Scores.AddRange(PartialScorer.Scores(Select(data, request.Ids), model.FeatureNames, model.Scaler, model.Weights));
        }
        catch (BadInputException e)
        {
            reply.Error = e.Message;
        }
        await channel.SendAsync(guest, reply, ct);
        if (reply.Error.Length > 0)
            throw new BadInputException(reply.Error);
    }

    private static Dataset Select(Dataset data, IReadOnlyList<string> ids)
    {
        var index = new Dictionary<string, int>(data.Rows);
        for (int r = 0; r < data.Rows; r++)
            index.TryAdd(data.Ids[r], r);
        var values = new double[ids.Count * data.Columns];
        for (int i = 0; i < ids.Count; i++)
        {
            if (!index.TryGetValue(ids[i], out int row))
                throw new BadInputException($"id '{ids[i]}' is not in this host's data.");
            data.Row(row).CopyTo(values.AsSpan(i * data.Columns));
        }
        return new Dataset(ids, data.FeatureNames, values);
    }
}
