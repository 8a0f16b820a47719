using Microsoft.Extensions.Logging;
using VerticalFL.Party.Hosting;
using VerticalFL.Party.Jobs;
using VerticalFL.Protocol.Horizontal;
using VerticalFL.Storage;

namespace VerticalFL.Arbiter;

/// <summary>
/// A horizontal job on the arbiter: it agrees the columns and scaling with the data parties, runs the rounds
/// (<see cref="HorizontalArbiter"/>, or <see cref="AsyncHorizontalArbiter"/> in async mode), records each round (iteration, checkpoint, progress) and keeps the global model.
/// </summary>
internal sealed class HorizontalArbiterJob(PartyNode node, string jobId, string guest, JobSpec spec)
{
    public async Task RunAsync(JobRun run, CancellationToken ct)
    {
        var channel = node.OpenChannel(jobId);
        await JobStartSignal.WaitAsync(channel, guest, ct);
        var parameters = HorizontalTraining.Parameters(spec);
        var resume = await HorizontalModels.ResumeAsync(node, spec, ct);
        await run.MoveToAsync(JobState.Psi, ct, "horizontal job: no PSI (the parties hold different people's rows)");
        await run.MoveToAsync(JobState.Training, ct, resume is null ? null : $"resuming {spec.ResumeFrom} after round {resume.Round}");
        var recorder = new HorizontalRoundRecorder(node, run, parameters.Rounds);
        var clients = spec.HostIds.Prepend(guest).ToList();
        var observer = new Observer(node, run, recorder);
        // Sync rounds, or FedAsync / FedBuff as the spec's mode says.
        var result = await HorizontalArbiters.RunAsync(channel, clients, parameters, observer, resume, ct);
        await run.MoveToAsync(JobState.Evaluating, ct);
        await HorizontalModels.SaveAsync(node, jobId, PartyRole.Arbiter, node.Workspace(jobId).Create(), result.Model, ct);
        await node.FlushAuditAsync(ct);
        string auc = result.Final.Auc is { } a ? $"pooled validation auc {a:0.0000}, " : "";
        string leftOut = observer.FirstLeftOut.Count == 0 ? ""
            : "; " + string.Join("; ", observer.FirstLeftOut.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key} left out from round {l.Value}"));
        await run.MoveToAsync(JobState.Succeeded, ct, $"{auc}accuracy {result.Final.Accuracy:0.0000} over {result.Final.Rows} validation rows{leftOut}");
    }

    /// <summary>Each round: the iteration and progress, and a checkpoint to resume from (model and server optimiser state).</summary>
    private sealed class Observer(PartyNode node, JobRun run, HorizontalRoundRecorder recorder) : IHorizontalObserver
    {
        private readonly ILogger _log = node.Loggers.CreateLogger<HorizontalArbiterJob>();

        /// <summary>Each client ever left out, with the first round it missed.</summary>
        public Dictionary<string, int> FirstLeftOut { get; } = new(StringComparer.Ordinal);

        public void OnRound(HorizontalRoundReport report)
        {
            foreach (var (client, reason) in report.LeftOut)
            {
                FirstLeftOut.TryAdd(client, report.Round);
                _log.LogWarning("Job {JobId} round {Round}: left out {Client} ({Reason})", run.JobId, report.Round, client, reason);
            }
            var checkpoint = new HorizontalCheckpoint(report.Round, report.Weights, report.ServerMoments);
            node.Store.Checkpoints.SaveAsync(run.JobId, node.Id, report.Round, HorizontalModels.Serialize(checkpoint)).GetAwaiter().GetResult();
            if (report.LeftOut.Count > 0)
                node.Store.Jobs.NoteAsync(run.JobId, $"round {report.Round}: left out {string.Join("; ", report.LeftOut.Select(l => $"{l.Key} ({l.Value})"))}")
                    .GetAwaiter().GetResult();
            recorder.Record(report.Round, report.TrainLoss, report.Validation);
        }
    }
}
