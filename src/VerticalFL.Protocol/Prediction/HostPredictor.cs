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
            reply.Scores.AddRange(PartialScorer.Scores(data.SelectRows(request.Ids), model.FeatureNames, model.Scaler, model.Weights));
        }
        catch (BadInputException e)
        {
            reply.Error = e.Message;
        }
        await channel.SendAsync(guest, reply, ct);
        if (reply.Error.Length > 0)
            throw new BadInputException(reply.Error);
    }
}
