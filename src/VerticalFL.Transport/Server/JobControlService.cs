using Grpc.Core;
using Microsoft.Extensions.Logging;
using VerticalFL.Contracts.V1;

namespace VerticalFL.Transport.Server;

/// <summary>gRPC plumbing for <see cref="IJobControlHandler"/>: request checks and exception → status mapping.</summary>
internal sealed class JobControlService(IJobControlHandler handler, ILogger<JobControlService> logger) : JobControl.JobControlBase
{
    public override Task<JobAcceptance> Propose(JobProposal request, ServerCallContext context)
    {
        string caller = CallerIdentity.Of(context);
        RequireJobId(request.JobId);
        if (request.InitiatorPartyId != caller)
            throw new RpcException(new Status(StatusCode.PermissionDenied, "initiator_party_id must be the caller"));
        if (!request.Participants.Any(p => p.PartyId == caller && p.Role == PartyRole.Guest))
            throw new RpcException(new Status(StatusCode.InvalidArgument, "the initiator must be a participant with role guest"));
        return Run(context, caller, () => handler.ProposeAsync(caller, request, context.CancellationToken));
    }

    public override Task<CancelJobReply> Cancel(CancelJobRequest request, ServerCallContext context)
    {
        string caller = CallerIdentity.Of(context);
        RequireJobId(request.JobId);
        return Run(context, caller, () => handler.CancelAsync(caller, request, context.CancellationToken));
    }

    public override Task<JobStatusReply> Status(JobStatusRequest request, ServerCallContext context)
    {
        string caller = CallerIdentity.Of(context);
        RequireJobId(request.JobId);
        return Run(context, caller, () => handler.StatusAsync(caller, request, context.CancellationToken));
    }

    public override Task WatchJob(JobStatusRequest request, IServerStreamWriter<JobStatusReply> responseStream, ServerCallContext context)
    {
        string caller = CallerIdentity.Of(context);
        RequireJobId(request.JobId);
        return Run(context, caller, async () =>
        {
            await foreach (var status in handler.WatchAsync(caller, request, context.CancellationToken))
                await responseStream.WriteAsync(status, context.CancellationToken);
            return true;
        });
    }

    private static void RequireJobId(string jobId)
    {
        if (string.IsNullOrWhiteSpace(jobId))
            throw new RpcException(new Status(StatusCode.InvalidArgument, "job_id is required"));
    }

    private async Task<T> Run<T>(ServerCallContext context, string caller, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is not RpcException and not OperationCanceledException)
        {
            var code = e switch
            {
                ArgumentException => StatusCode.InvalidArgument,
                KeyNotFoundException => StatusCode.NotFound,
                InvalidOperationException => StatusCode.FailedPrecondition,
                _ => StatusCode.Internal,
            };
            if (code == StatusCode.Internal)
                ServerLog.HandlerFailed(logger, e, context.Method, caller);
            throw new RpcException(new Status(code, code == StatusCode.Internal ? "internal error" : e.Message));
        }
    }
}
