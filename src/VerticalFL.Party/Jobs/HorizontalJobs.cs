using System.Diagnostics;
using System.Text.Json;
using VerticalFL.Contracts.V1;
using VerticalFL.Ml.Data;
using VerticalFL.Party.Hosting;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Horizontal;
using VerticalFL.Protocol.Models;
using VerticalFL.Storage;
using JobState = VerticalFL.Storage.JobState;
using StoredRole = VerticalFL.Storage.PartyRole;

namespace VerticalFL.Party.Jobs;

/// <summary>What a data party of a horizontal job ends with.</summary>
public sealed record HorizontalClientOutcome(HorizontalClientResult Result, IReadOnlyList<double> Losses, int Rounds, double TrainSeconds, string ModelPath);

/// <summary>
/// A data party's side of a horizontal job, the same on the guest and on each host: reads its own file, trains as a
/// <see cref="HorizontalClient"/> of the arbiter, records every round the arbiter shares (iterations, progress) and
/// keeps the final global model (workspace file and store). The caller moves the job to succeeded.
/// </summary>
public sealed class HorizontalClientJob(PartyNode node, string jobId, JobSpec spec, string dataPath, StoredRole role)
{
    /// <param name="guest">The job's guest, whose start signal a host waits for; null on the guest itself.</param>
    public async Task<HorizontalClientOutcome> RunAsync(JobRun run, string? guest, CancellationToken ct)
    {
        var channel = node.OpenChannel(jobId);
        if (guest is not null)
            await JobStartSignal.WaitAsync(channel, guest, ct);
        var workspace = node.Workspace(jobId).Create();
        var parameters = HorizontalTraining.Parameters(spec);
        var data = await ReadAsync(channel, ct);

        await run.MoveToAsync(JobState.Psi, ct, "horizontal job: no PSI (the parties hold different people's rows)");
        await run.MoveToAsync(JobState.Training, ct);
        var recorder = new HorizontalRoundRecorder(node, run, parameters.Rounds);
        var clock = Stopwatch.StartNew();
        var result = await new HorizontalClient(channel, spec.Arbiter, parameters, data) { OnRound = recorder.Record }.RunAsync(ct);
        double seconds = clock.Elapsed.TotalSeconds;

        await run.MoveToAsync(JobState.Evaluating, ct);
        await HorizontalModels.SaveAsync(node, jobId, role, workspace, result.Model, ct);
        await node.FlushAuditAsync(ct);
        return new HorizontalClientOutcome(result, recorder.Losses, recorder.Rounds, seconds, workspace.Model);
    }

    /// <summary>
    /// This party's rows. A file that cannot be read is reported to the operator with its path and line, and to the
    /// arbiter only as "cannot take part" (the path stays here), so the arbiter refuses the job at once.
    /// </summary>
    private async Task<Dataset> ReadAsync(IPartyChannel channel, CancellationToken ct)
    {
        try
        {
            var read = CsvDatasetReader.Read(dataPath, new CsvReadOptions { IdColumn = spec.Psi.IdColumn, LabelColumn = spec.Data.LabelColumn });
            if (read.Dataset.Labels is null)
                throw new BadInputException($"{dataPath}: no label column '{spec.Data.LabelColumn}' (every party of a horizontal job needs labels).");
            return read.Dataset;
        }
        catch (BadInputException)
        {
            await channel.SendAsync(spec.Arbiter, new HorizontalHello { Error = "its data could not be read (its operator sees why)" }, ct);
            throw;
        }
    }
}

/// <summary>
/// Records a horizontal job's rounds in this party's store: one iteration per round (training loss, pooled validation
/// loss, AUC and accuracy) and the progress. Every party records the same figures: the arbiter from its own rounds, the
/// clients from the summaries it shares.
/// </summary>
public sealed class HorizontalRoundRecorder(PartyNode node, JobRun run, int rounds)
{
    private readonly List<double> _losses = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public IReadOnlyList<double> Losses => _losses;
    public int Rounds { get; private set; }

    /// <summary>The final model's pooled metrics, once the arbiter sent them.</summary>
    public PooledMetrics? Final { get; private set; }

    /// <summary>A client's record of a <see cref="RoundSummary"/> (the last one, round = rounds + 1, is the final model's).</summary>
    public void Record(RoundSummary summary)
    {
        if (summary.Round > rounds)
            Final = HorizontalArbiter.Metrics(summary);
        else
            Record(summary.Round, summary.TrainLoss, HorizontalArbiter.Metrics(summary));
    }

    public void Record(int round, double trainLoss, PooledMetrics validation)
    {
        _losses.Add(trainLoss);
        Rounds = round;
        double seconds = _clock.Elapsed.TotalSeconds;
        _clock.Restart();
        // Iterations are numbered from 0 like a vertical job's epochs (the board shows them from 1): round k is k − 1.
        var record = new IterationRecord(run.JobId, round - 1, null, Finite(trainLoss), validation.Auc, null, Finite(validation.Accuracy),
            seconds, node.BytesSent, 0);
        // The observers are synchronous; they run on the job's task with no synchronization context.
        node.Store.Iterations.AddAsync(record).GetAwaiter().GetResult();
        run.ReportProgressAsync(round, Math.Min(1.0, (double)round / rounds), CancellationToken.None).GetAwaiter().GetResult();
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}

/// <summary>The global model of a horizontal job, as a file in the job's workspace and a version in the store.</summary>
public static class HorizontalModels
{
    public static async Task SaveAsync(PartyNode node, string jobId, StoredRole role, JobWorkspace workspace, HorizontalModel model, CancellationToken ct)
    {
        ModelFile.Save(workspace.Model, model);
        await node.Store.Models.SaveAsync(new NewModel(jobId, node.Id, role, ModelFile.HorizontalFormat, await File.ReadAllTextAsync(workspace.Model, ct)), ct);
    }

    public static byte[] Serialize(HorizontalCheckpoint checkpoint) => JsonSerializer.SerializeToUtf8Bytes(checkpoint);

    /// <summary>The arbiter's checkpoint to continue from: none for a fresh job, else its latest of <see cref="JobSpec.ResumeFrom"/>.</summary>
    public static async Task<HorizontalCheckpoint?> ResumeAsync(PartyNode node, JobSpec spec, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(spec.ResumeFrom)) return null;
        var stored = await node.Store.Checkpoints.LoadLatestAsync(spec.ResumeFrom, node.Id, ct)
            ?? throw new BadInputException($"resume_from '{spec.ResumeFrom}': '{node.Id}' has no checkpoint of that job (it never completed a round there).");
        return JsonSerializer.Deserialize<HorizontalCheckpoint>(stored.State)
            ?? throw new InvalidOperationException($"resume_from '{spec.ResumeFrom}': the checkpoint at '{node.Id}' is empty.");
    }
}
