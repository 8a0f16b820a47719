using VerticalFL.Storage;

namespace VerticalFL.Board.Data;

/// <summary>Builds the board's views from one party's store. Reads only.</summary>
internal sealed class BoardQueries(VflStore store, string? partyId, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public string? PartyId => partyId;

    public DateTime NowUtc => _clock.GetUtcNow().UtcDateTime;

    public async Task<JobListView> JobsAsync(JobListQuery query, CancellationToken ct)
    {
        var page = await store.Board.ListJobsAsync(query, ct);
        return new JobListView([.. page.Jobs.Select(j => Summary(j.Job, j.Kind))], query, page.Next, NowUtc);
    }

    public async Task<JobSummary?> SummaryAsync(string jobId, CancellationToken ct)
    {
        var job = await store.Jobs.GetAsync(jobId, ct);
        return job is null ? null : Summary(job, await store.Board.KindAsync(jobId, ct) ?? "train");
    }

    public async Task<JobView?> JobAsync(string jobId, CancellationToken ct)
    {
        var job = await store.Jobs.GetAsync(jobId, ct);
        if (job is null) return null;
        var summary = Summary(job, await store.Board.KindAsync(jobId, ct) ?? "train");
        var now = NowUtc;
        var events = await store.Board.EventsAsync(jobId, ct);
        var results = await store.Results.ListAsync(jobId, ct);
        var iterations = await store.Iterations.ListAsync(jobId, ct);
        var (epochs, final) = EpochRows(job, summary.Kind, iterations);
        var models = await store.Board.ModelsAsync(jobId, ct);
        var traffic = await store.Board.TrafficAsync(jobId, ct);
        string? self = FailureAttribution.ThisParty(job, partyId);
        return new JobView(summary, job.Initiator, self, StateTimeline.Of(job, events, now), FailureAttribution.Of(job, self),
            StoredDocuments.Long(results.GetValueOrDefault(JobResultNames.Intersection)), epochs, final,
            StoredDocuments.Roc(results.GetValueOrDefault(JobResultNames.Roc)),
            [.. models.Select(StoredDocuments.Model)],
            StoredDocuments.Pairs(results.GetValueOrDefault(JobResultNames.Encryption)) ?? SpecFacts.Parse(job.Spec).Encryption(),
            traffic, job.Spec, now);
    }

    public async Task<AuditView?> AuditAsync(string jobId, long after, int limit, CancellationToken ct)
    {
        var summary = await SummaryAsync(jobId, ct);
        if (summary is null) return null;
        var page = await store.Board.AuditPageAsync(jobId, after, limit, ct);
        return new AuditView(summary, page.Entries, after, page.NextAfter);
    }

    public Task<IReadOnlyList<Participant>> ParticipantsAsync(CancellationToken ct) => store.Participants.ListAsync(ct);

    /// <summary>
    /// Per-epoch rows (trainers record epochs from 0; shown from 1). A guest's succeeded training job ends with one more
    /// row, the final model's metrics on the evaluation rows: it is returned apart, not drawn as an epoch.
    /// </summary>
    internal static (IReadOnlyList<EpochRow> Epochs, EpochRow? Final) EpochRows(JobRecord job, string kind, IReadOnlyList<IterationRecord> iterations)
    {
        var rows = iterations.Where(i => i.Batch is null).ToList();
        EpochRow? final = null;
        if (job.Role == PartyRole.Guest && job.State == JobState.Succeeded && kind == "train" && rows.Count > 0)
        {
            var last = rows[^1];
            final = new EpochRow(last.Epoch, last.Loss, last.Auc, last.Ks, last.Accuracy, last.Seconds, last.BytesSent);
            rows.RemoveAt(rows.Count - 1);
        }
        return ([.. rows.Select(r => new EpochRow(r.Epoch + 1, r.Loss, r.Auc, r.Ks, r.Accuracy, r.Seconds, r.BytesSent))], final);
    }

    private static JobSummary Summary(JobRecord job, string kind)
    {
        var facts = SpecFacts.Parse(job.Spec);
        return new JobSummary(job.Id, facts.Name, kind, job.State, job.Role, job.Epoch,
            kind == "train" ? facts.Epochs : kind == "horizontal" ? facts.Rounds : null, job.Progress,
            job.Participants, job.CreatedUtc, job.UpdatedUtc, job.Reason);
    }
}
