using VerticalFL.Contracts.V1;
using VerticalFL.Protocol.Channels;

namespace VerticalFL.Protocol.Horizontal;

/// <summary>Which message a client last sent before a simulated dropout (tests).</summary>
internal enum SecureAggregationStage { Advertised, SharedKeys, SentMaskedInput }

/// <summary>The client's round with secure aggregation: the four steps of <see cref="SecAggClientSession"/> over the channel.</summary>
public sealed partial class HorizontalClient
{
    /// <summary>This client's signing key and the registry of every client's key; required with secure aggregation.</summary>
    public SecureAggregationIdentity? SecureAggregationIdentity { get; init; }

    /// <summary>Tests: the client vanishes (stops answering) after this step of the given round.</summary>
    internal (int Round, SecureAggregationStage Stage)? DropAfter { get; init; }

    /// <summary>Runs the round's protocol; false when the arbiter left this client out of the round.</summary>
    private async Task<bool> SecureUpdateAsync(ClientUpdate update, int classes, int k, CancellationToken ct)
    {
        var identity = SecureAggregationIdentity
            ?? throw new HorizontalJobException($"{channel.Self}: the job uses secure aggregation but this client has no Ed25519 signing key and party registry.");
        var step = Step.Of(k);
        var layout = SecureVectorLayout.For(update.Contribution.Count, classes, parameters.AucBins);
        var vector = layout.Compose(update);
        using var session = new SecAggClientSession(channel.Self, channel.JobId, update.Round, identity);
        await channel.SendAsync(arbiter, session.Advertise(), step, ct);
        Vanish(k, SecureAggregationStage.Advertised);

        var neighbours = await channel.ReceiveAsync<SecAggNeighbours>(arbiter, step, ct);
        if (neighbours.AbortReason.Length > 0)
            return false;
        await channel.SendAsync(arbiter, session.ShareKeys(neighbours), step, ct);
        Vanish(k, SecureAggregationStage.SharedKeys);

        var inbox = await channel.ReceiveAsync<SecAggSharesIn>(arbiter, step, ct);
        if (inbox.AbortReason.Length > 0)
            return false;
        session.ReceiveShares(inbox);
        var ring = layout.Quantise(vector, session.Clients, parameters.SecureAggregation.FractionalBits);
        await channel.SendAsync(arbiter, session.Mask(ring), step, ct);
        Vanish(k, SecureAggregationStage.SentMaskedInput);

        var request = await channel.ReceiveAsync<SecAggUnmaskRequest>(arbiter, step, ct);
        if (request.AbortReason.Length > 0)
            return false;
        await channel.SendAsync(arbiter, session.Unmask(request), step, ct);
        return true;
    }

    private void Vanish(int round, SecureAggregationStage stage)
    {
        if (DropAfter == (round, stage))
            throw new OperationCanceledException($"{channel.Self} dropped out after {stage} in round {round} (simulated).");
    }
}
