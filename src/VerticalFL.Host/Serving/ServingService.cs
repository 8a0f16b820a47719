using Grpc.Core;
using Microsoft.Extensions.Hosting;
using VerticalFL.Contracts.V1;
using VerticalFL.Ml.Data;
using VerticalFL.Transport.Server;

namespace VerticalFL.Host.Serving;

/// <summary>
/// vfl.v1.Serving on a host (trusted guests only, by the federation authorizer): load, arm and unload model versions,
/// and the long-lived Score stream that answers batches of ids within the host's limits, each audited.
/// </summary>
internal sealed class ServingService(HostServing serving, IHostApplicationLifetime lifetime) : Contracts.V1.Serving.ServingBase
{
    public override async Task<ServingLoadReply> Load(ServingLoad request, ServerCallContext context)
    {
        try
        {
            return await serving.LoadAsync(PartyCaller.Of(context), request, context.CancellationToken);
        }
        catch (BadInputException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
        }
    }

    public override Task<ServingArmReply> Arm(ServingArm request, ServerCallContext context)
    {
        serving.Arm(PartyCaller.Of(context), request);
        return Task.FromResult(new ServingArmReply());
    }

    public override Task<ServingUnloadReply> Unload(ServingUnload request, ServerCallContext context) =>
        Task.FromResult(new ServingUnloadReply { Unloaded = serving.Unload(PartyCaller.Of(context), request) });

    public override async Task Score(IAsyncStreamReader<ScoreBatch> requestStream, IServerStreamWriter<ScoreReply> responseStream,
        ServerCallContext context)
    {
        string guest = PartyCaller.Of(context);
        // The stream lives as long as the guest keeps it: end it when this party stops, so shutdown does not wait on it.
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        try
        {
            while (await requestStream.MoveNext(ended.Token))
                await responseStream.WriteAsync(Answer(guest, requestStream.Current), ended.Token);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "the party is shutting down"));
        }
    }

    private ScoreReply Answer(string guest, ScoreBatch batch)
    {
        var part = serving.Find(guest, batch.Name, batch.ModelJobId);
        ScoreReply reply;
        if (part is null)
            reply = new ScoreReply { RequestId = batch.RequestId, Error = $"deployment {batch.Name} version {batch.ModelJobId} is not loaded here" };
        else if (serving.Limiter.TryAcquire(guest, batch.Ids.Count) is { } refusal)
        {
            ServingLog.Limited(serving.Logger, guest, refusal);
            reply = new ScoreReply { RequestId = batch.RequestId, Error = refusal, Limited = true };
        }
        else
            reply = part.Answer(batch);
        string outcome = reply.Error.Length > 0 ? (reply.Limited ? "limited" : "error") : reply.Unknown.Count > 0 ? $"ok, {reply.Unknown.Count} unknown" : "ok";
        serving.Audit.Record(guest, batch.Name, batch.ModelJobId, batch.RequestId, batch.Ids, outcome);
        return reply;
    }
}
