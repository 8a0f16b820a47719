using Grpc.Core;
using VerticalFL.Contracts.V1;
using VerticalFL.Party.Hosting;
using VerticalFL.Party.Jobs;
using VerticalFL.Storage;

namespace VerticalFL.Party.Operator;

/// <summary>
/// The Operator API as a host or the arbiter serves it to its own operator (its own certificate only, like the
/// guest's): <c>vfl job list|show|status</c> over this party's own store. Submitting, cancelling and predicting
/// are the guest's; those calls are refused saying where to go.
/// </summary>
public sealed class PartyOperatorService(PartyNode node) : Contracts.V1.Operator.OperatorBase
{
    public override Task<ListJobsReply> List(ListJobsRequest request, ServerCallContext context) =>
        JobQueries.ListAsync(node.Store.Jobs, request, context.CancellationToken);

    public override async Task<JobReport> Get(JobRef request, ServerCallContext context)
    {
        var job = await JobQueries.RequireAsync(node.Store.Jobs, node.Id, request.JobId, context.CancellationToken);
        var report = new JobReport { Summary = JobQueries.Summary(job), SpecYaml = job.Spec, Epochs = job.Epoch };
        var losses = (await node.Store.Iterations.ListAsync(job.Id, context.CancellationToken)).Where(i => i.Loss is not null);
        report.LossHistory.AddRange(losses.Select(i => i.Loss!.Value));
        report.Auc = report.Ks = report.Accuracy = double.NaN;
        var workspace = node.Workspace(job.Id);
        if (File.Exists(workspace.AlignedData))
            report.Intersection = File.ReadLines(workspace.AlignedData).LongCount() - 1;
        if (File.Exists(workspace.Model))
            report.ModelPath = workspace.Model;
        return report;
    }

    public override async Task Watch(JobRef request, IServerStreamWriter<JobProgress> responseStream, ServerCallContext context)
    {
        await JobQueries.RequireAsync(node.Store.Jobs, node.Id, request.JobId, context.CancellationToken);
        await foreach (var job in JobStatus.WatchAsync(node.Store.Jobs, request.JobId, TimeSpan.FromMilliseconds(250), context.CancellationToken))
            await responseStream.WriteAsync(new JobProgress
            {
                JobId = job.Id, State = Lower(job.State), Phase = Lower(job.State), Epoch = job.Epoch, Loss = double.NaN,
                Message = job.Reason ?? "", Progress = job.Progress,
            });
    }

    public override Task<SubmitJobReply> Submit(SubmitJobRequest request, ServerCallContext context) => throw GuestOnly("submitted");

    public override Task<CancelJobReply> Cancel(CancelJobRequest request, ServerCallContext context) => throw GuestOnly("cancelled");

    public override Task<PredictReply> Predict(PredictRequest request, ServerCallContext context) => throw GuestOnly("run (predictions too)");

    private RpcException GuestOnly(string what) => new(new Status(StatusCode.InvalidArgument,
        $"'{node.Id}' is the federation's {node.Config.Party.Role}: jobs are {what} at the guest, with the guest's config"));

    private static string Lower(Storage.JobState state) => state.Name();
}
