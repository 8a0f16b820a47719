using VerticalFL.Party.Hosting;
using VerticalFL.Party.Jobs;
using VerticalFL.Protocol.Training;
using VerticalFL.Storage;

namespace VerticalFL.Arbiter;

/// <summary>One job on the arbiter: it waits out PSI (it holds no data), then serves training.</summary>
internal sealed class ArbiterJob(PartyNode node, string jobId, string guest, JobSpec spec)
{
    public async Task RunAsync(JobRun run, CancellationToken ct)
    {
        var channel = node.OpenChannel(jobId);
        await JobStartSignal.WaitAsync(channel, guest, ct);
        var parameters = JobParameters.Training(spec);
        await JobResults.SaveEncryptionAsync(node, jobId, parameters, ct);
        await run.MoveToAsync(JobState.Psi, ct);
        await run.MoveToAsync(JobState.Training, ct);
        var observer = node.TrainingObserver(run, parameters.Epochs);
        var resume = await Checkpoints.ForAsync(node, spec, ct);
        await new ArbiterTrainer(channel, JobParameters.Roles(spec, guest), parameters, resume, observer).TrainAsync(ct);
        await run.MoveToAsync(JobState.Evaluating, ct);
        await node.FlushAuditAsync(ct);
        await run.MoveToAsync(JobState.Succeeded, ct);
    }
}
