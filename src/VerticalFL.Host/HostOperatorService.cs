using Grpc.Core;
using VerticalFL.Contracts.V1;
using VerticalFL.Party.Hosting;

namespace VerticalFL.Host;

/// <summary>
/// The host operator's gRPC API: approve or decline a job waiting under <c>policy.require_approval</c>.
/// Only callable with the host's own certificate (the same rule as the guest's Operator API: PartyAuthorizer).
/// </summary>
internal sealed class HostOperatorService(PartyNode node, HostApprovals approvals) : HostOperator.HostOperatorBase
{
    public override Task<JobDecisionReply> Approve(JobDecision request, ServerCallContext context) =>
        DecideAsync(request, approvals.Approve(request.JobId), "approved", context.CancellationToken);

    public override Task<JobDecisionReply> Decline(JobDecision request, ServerCallContext context) =>
        DecideAsync(request, approvals.Decline(request.JobId, request.Reason), "declined", context.CancellationToken);

    private async Task<JobDecisionReply> DecideAsync(JobDecision request, bool decided, string verb, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.JobId))
            throw new RpcException(new Status(StatusCode.InvalidArgument, "job_id is required"));
        var job = await node.Store.Jobs.GetAsync(request.JobId, ct)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"no job '{request.JobId}' at {node.Id}"));
        if (!decided)
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"job {job.Id} is not awaiting approval at {node.Id} (it is {job.State.ToString().ToLowerInvariant()}{(job.Reason is null ? "" : $": {job.Reason}")})"));
        return new JobDecisionReply { JobId = job.Id, State = job.State.ToString().ToLowerInvariant(), Message = $"{verb} by {node.Id}'s operator" };
    }
}
