using Grpc.Core;
using VerticalFL.Contracts.V1;
using VerticalFL.Ml.Data;
using VerticalFL.Party.Jobs;
using VerticalFL.Party.Operator;
using VerticalFL.Protocol.Training;
using LabelDpReport = VerticalFL.Contracts.V1.LabelDpReport;
using VerticalFL.Storage;
using StoredState = VerticalFL.Storage.JobState;

namespace VerticalFL.Guest;

/// <summary>
/// The guest operator's gRPC API (only callable with the guest's own certificate: see PartyAuthorizer).
/// Bad input becomes INVALID_ARGUMENT with the message that names it.
/// </summary>
internal sealed partial class OperatorService(GuestJobs jobs, Serving.GuestServing serving, Serving.OnlinePredictor predictor) : Operator.OperatorBase
{
    public override async Task<SubmitJobReply> Submit(SubmitJobRequest request, ServerCallContext context)
    {
        try
        {
            return new SubmitJobReply { JobId = await jobs.SubmitAsync(request.SpecYaml, Source(request.Source), context.CancellationToken) };
        }
        catch (BadInputException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
        }
    }

    public override async Task<JobReport> Get(JobRef request, ServerCallContext context)
    {
        var job = await RequireAsync(request.JobId, context.CancellationToken);
        var outcome = JobOutcome.Load(jobs.Node.Workspace(job.Id));
        var report = new JobReport { Summary = Summary(job), SpecYaml = job.Spec };
        if (outcome is not null)
        {
            report.Intersection = outcome.Intersection;
            report.Epochs = outcome.Epochs;
            report.LossHistory.AddRange(outcome.LossHistory);
            report.Auc = outcome.Auc;
            report.Ks = outcome.Ks;
            report.Accuracy = outcome.Accuracy;
            report.PsiSeconds = outcome.PsiSeconds;
            report.TrainSeconds = outcome.TrainSeconds;
            report.SecondsPerEpoch = outcome.SecondsPerEpoch;
            report.BytesSent = outcome.BytesSent;
            report.ModelPath = outcome.ModelPath;
            if (outcome.LabelDp is { } spent)
                report.LabelDp = Wire(spent);
        }
        else
        {
            // No summary (the job failed, was cancelled or is running): what the store recorded epoch by epoch.
            var epochs = (await jobs.Node.Store.Iterations.ListAsync(job.Id, context.CancellationToken)).Where(i => i.Batch is null).ToList();
            report.Epochs = job.Epoch;
            report.LossHistory.AddRange(epochs.Where(i => i.Loss is not null).Select(i => i.Loss!.Value));
            report.Auc = report.Ks = report.Accuracy = double.NaN;
            // A failed, cancelled or running job has spent privacy for the epochs it completed.
            if (LabelDpOf(job) is { } plan)
                report.LabelDp = Wire(plan.Report(job.Epoch));
        }
        return report;
    }

    private static LabelDp? LabelDpOf(JobRecord job)
    {
        try
        {
            var spec = StoredSpec(job);
            return spec.Kind == JobKinds.Train ? LabelDp.For(JobParameters.Training(spec)) : null;
        }
        catch (BadInputException)
        {
            return null;
        }
    }

    private static LabelDpReport Wire(Protocol.Training.LabelDpReport spent) => new()
    {
        EpsilonTarget = spent.EpsilonTarget, EpsilonSpent = spent.EpsilonSpent, Delta = spent.Delta, Clip = spent.Clip,
        Sigma = spent.Sigma, Epochs = spent.Epochs, NoiseMultiplier = spent.NoiseMultiplier,
    };

    public override Task<ListJobsReply> List(ListJobsRequest request, ServerCallContext context) =>
        JobQueries.ListAsync(jobs.Node.Store.Jobs, request, context.CancellationToken);

    public override async Task<CancelJobReply> Cancel(CancelJobRequest request, ServerCallContext context)
    {
        var job = await RequireAsync(request.JobId, context.CancellationToken);
        if (job.State.IsTerminal())
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"job {job.Id} has already ended ({job.State.Name()}{(job.Reason is null ? "" : $": {job.Reason}")}); nothing to cancel"));
        var after = await jobs.Node.Jobs.CancelAsync(request.JobId, "the guest's operator", request.Reason, context.CancellationToken);
        return new CancelJobReply { JobId = after.Id, State = JobStatus.WireStateOf(after.State) };
    }

    public override async Task Watch(JobRef request, IServerStreamWriter<JobProgress> responseStream, ServerCallContext context)
    {
        await RequireAsync(request.JobId, context.CancellationToken);
        await foreach (var job in JobStatus.WatchAsync(jobs.Node.Store.Jobs, request.JobId, TimeSpan.FromMilliseconds(200), context.CancellationToken))
            await responseStream.WriteAsync(await ProgressAsync(job, context.CancellationToken));
    }

    public override async Task<PredictReply> Predict(PredictRequest request, ServerCallContext context)
    {
        var trained = await RequireAsync(request.ModelJobId, context.CancellationToken);
        var spec = StoredSpec(trained);
        spec.Kind = JobKinds.Predict;
        spec.ModelJob = trained.Id;
        spec.Name = $"predict-{trained.Id}";
        if (!string.IsNullOrEmpty(request.GuestData)) spec.Data.Guest = request.GuestData;
        foreach (var (host, data) in request.HostData) spec.Data.Hosts[host] = data;
        string jobId;
        try
        {
            jobId = await jobs.SubmitAsync(spec, spec.ToJson(), context.CancellationToken);
        }
        catch (BadInputException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
        }
        await jobs.Node.Jobs.WaitAsync(jobId);
        var done = await RequireAsync(jobId, context.CancellationToken);
        if (done.State != StoredState.Succeeded)
            throw new RpcException(new Status(StatusCode.Aborted, $"prediction job {jobId} {done.State.Name()}: {done.Reason}"));
        string predictions = jobs.Node.Workspace(jobId).Predictions;
        if (!string.IsNullOrEmpty(request.OutputPath))
        {
            File.Copy(predictions, request.OutputPath, overwrite: true);
            predictions = request.OutputPath;
        }
        return new PredictReply { JobId = jobId, OutputPath = predictions, Rows = File.ReadLines(predictions).LongCount() - 1 };
    }

    private async Task<JobProgress> ProgressAsync(JobRecord job, CancellationToken ct)
    {
        var iterations = await jobs.Node.Store.Iterations.ListAsync(job.Id, ct);
        var spec = StoredSpec(job);
        // A horizontal job's "epochs" are its rounds.
        int epochs = spec.Kind == JobKinds.Horizontal ? (spec.Training.TryGetValue("rounds", out var r) ? int.Parse(r) : 20)
            : spec.Training.TryGetValue("epochs", out var e) || spec.Training.TryGetValue("max_iter", out e) ? int.Parse(e) : 10;
        return new JobProgress
        {
            JobId = job.Id, State = job.State.Name(), Phase = job.State.Name(),
            Epoch = job.Epoch, Epochs = epochs, Loss = iterations.LastOrDefault()?.Loss ?? double.NaN, Message = job.Reason ?? "",
            Progress = job.Progress, Unit = spec.Kind == JobKinds.Horizontal ? "round" : "",
        };
    }

    private static JobSummary Summary(JobRecord job) => JobQueries.Summary(job);

    private static string Source(string source) => string.IsNullOrWhiteSpace(source) ? "job spec" : source;

    private static JobSpec StoredSpec(JobRecord job) => JobQueries.StoredSpec(job);

    private Task<JobRecord> RequireAsync(string jobId, CancellationToken ct) => JobQueries.RequireAsync(jobs.Node.Store.Jobs, jobs.Node.Id, jobId, ct);
}
