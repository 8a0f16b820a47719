using VerticalFL.Ml.Data;
using VerticalFL.Party.Hosting;
using VerticalFL.Party.Jobs;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Models;
using VerticalFL.Protocol.Prediction;
using VerticalFL.Protocol.Psi;
using VerticalFL.Protocol.Training;
using VerticalFL.Storage;

namespace VerticalFL.Host;

/// <summary>One job on a host: PSI with the guest, its part of training, then serving the guest's evaluation (or a horizontal job's client).</summary>
internal sealed class HostJob(PartyNode node, string jobId, string guest, JobSpec spec, string dataPath)
{
    public Task RunAsync(JobRun run, CancellationToken ct) => spec.Kind switch
    {
        JobKinds.Predict => PredictAsync(run, ct),
        JobKinds.Psi => IntersectAsync(run, ct),
        JobKinds.Horizontal => TrainHorizontalAsync(run, ct),
        _ => TrainAsync(run, ct),
    };

    /// <summary>A horizontal job: this host is one of the arbiter's clients, training on its own rows (no PSI).</summary>
    private async Task TrainHorizontalAsync(JobRun run, CancellationToken ct)
    {
        await new HorizontalClientJob(node, jobId, spec, dataPath, PartyRole.Host).RunAsync(run, guest, ct);
        await run.MoveToAsync(JobState.Succeeded, ct);
    }

    /// <summary>A PSI-only job: the aligned rows are the result.</summary>
    private async Task IntersectAsync(JobRun run, CancellationToken ct)
    {
        var channel = node.OpenChannel(jobId);
        await JobStartSignal.WaitAsync(channel, guest, ct);
        await run.MoveToAsync(JobState.Psi, ct);
        await AlignAsync(channel, node.Workspace(jobId).Create(), ct, loadFeatures: false);
        await node.FlushAuditAsync(ct);
        await run.MoveToAsync(JobState.Succeeded, ct);
    }

    private async Task TrainAsync(JobRun run, CancellationToken ct)
    {
        var channel = node.OpenChannel(jobId);
        await JobStartSignal.WaitAsync(channel, guest, ct);
        var workspace = node.Workspace(jobId).Create();
        var parameters = JobParameters.Training(spec);
        // A malformed file is reported against the operator's file (path:line:column), before PSI.
        CsvDatasetReader.Read(dataPath, new CsvReadOptions { IdColumn = spec.Psi.IdColumn });
        var resume = await Checkpoints.ForAsync(node, spec, ct);
        await JobResults.SaveEncryptionAsync(node, jobId, parameters, ct);

        await run.MoveToAsync(JobState.Psi, ct);
        var data = (await AlignAsync(channel, workspace, ct))!;

        await run.MoveToAsync(JobState.Training, ct);
        var observer = node.TrainingObserver(run, parameters.Epochs);
        var policy = new HostTrainingPolicy { AllowSmallBatches = node.Config.AllowSmallBatches };
        var model = await new HostTrainer(channel, JobParameters.Roles(spec, guest), parameters, data, resume: resume, observer: observer, policy: policy)
            .TrainAsync(ct);

        await run.MoveToAsync(JobState.Evaluating, ct);
        await new HostPredictor(channel, guest, model, [.. spec.HostIds]).ServeAsync(data, ct);
        await ModelArchive.SaveAsync(node, workspace, model, ct);
        await node.FlushAuditAsync(ct);
        await run.MoveToAsync(JobState.Succeeded, ct);
    }

    /// <summary>Scores new rows with this host's part of an earlier job's model.</summary>
    private async Task PredictAsync(JobRun run, CancellationToken ct)
    {
        var channel = node.OpenChannel(jobId);
        var workspace = node.Workspace(jobId).Create();
        string modelPath = node.Workspace(spec.ModelJob).Model;
        if (!File.Exists(modelPath))
            throw new BadInputException($"model_job '{spec.ModelJob}': no model part for host '{node.Id}'.");
        var model = ModelFile.LoadHost(modelPath);
        await JobStartSignal.WaitAsync(channel, guest, ct);

        await run.MoveToAsync(JobState.Psi, ct);
        var data = (await AlignAsync(channel, workspace, ct))!;
        await run.MoveToAsync(JobState.Training, ct, "prediction job: nothing to train");
        await run.MoveToAsync(JobState.Evaluating, ct);
        await new HostPredictor(channel, guest, model, [.. spec.HostIds]).ServeAsync(data, ct);
        await node.FlushAuditAsync(ct);
        await run.MoveToAsync(JobState.Succeeded, ct);
    }

    /// <summary>PSI with the guest; returns this host's rows of the intersection in the agreed order.</summary>
    private async Task<Dataset?> AlignAsync(IPartyChannel channel, JobWorkspace workspace, CancellationToken ct, bool loadFeatures = true)
    {
        var ids = PsiIdFile.Read(dataPath, spec.Psi.IdColumn, JobParameters.Duplicates(spec));
        var intersection = await new PsiHost(channel, guest, limit: HostAdmission.GuestSetLimit(node.Config.Policy)).RunAsync(ids.Ids, ct);
        if (intersection.Count == 0)
            throw new InvalidOperationException("the intersection with the guest is empty");
        ids.WriteAligned(intersection, workspace.AlignedData);
        await JobResults.SaveIntersectionAsync(node, jobId, intersection.Count, ct);
        return !loadFeatures ? null : CsvDatasetReader.Read(workspace.AlignedData, new CsvReadOptions { IdColumn = spec.Psi.IdColumn }).Dataset;
    }
}
