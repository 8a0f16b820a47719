using Grpc.Core;
using VerticalFL.Contracts.V1;
using VerticalFL.Guest.Serving;
using VerticalFL.Ml.Data;

namespace VerticalFL.Guest;

/// <summary>The guest operator's online prediction calls: deploy, list, undeploy, predict (docs/operations.md, "Serving").</summary>
internal sealed partial class OperatorService
{
    public override Task<DeployReply> Deploy(DeployRequest request, ServerCallContext context) => Mapped(async () =>
    {
        var (deployed, previous) = await serving.DeployAsync(request.Name, request.ModelJobId, request.AllowGuestOnlyFallback, context.CancellationToken);
        return new DeployReply { Deployment = deployed.ToWire(), PreviousModelJobId = previous ?? "" };
    });

    public override Task<ListDeploymentsReply> ListDeployments(ListDeploymentsRequest request, ServerCallContext context) =>
        Task.FromResult(new ListDeploymentsReply { Deployments = { serving.List().Select(d => d.ToWire()) } });

    public override Task<UndeployReply> Undeploy(UndeployRequest request, ServerCallContext context) => Mapped(async () =>
        new UndeployReply { ModelJobId = await serving.UndeployAsync(request.Name, context.CancellationToken) });

    public override Task<OnlinePredictReply> PredictOnline(OnlinePredictRequest request, ServerCallContext context) =>
        Mapped(() => predictor.PredictAsync(request, context.CancellationToken));

    /// <summary>Serving failures and bad input become gRPC statuses whose detail names the party and the cause.</summary>
    private static async Task<T> Mapped<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (ServingFailure e)
        {
            throw e.ToRpc();
        }
        catch (BadInputException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
        }
    }
}
