using VerticalFL.Board.Data;
using VerticalFL.Board.Rendering;
using VerticalFL.Storage;

namespace VerticalFL.Board.Http;

/// <summary>
/// The JSON shapes of <c>/board/api/…</c> (snake_case names, UTC times in ISO 8601, sizes in bytes, durations in
/// seconds). Documented in docs/operations.md; keep the two in step.
/// </summary>
internal static class BoardJson
{
    public static object Jobs(JobListView view) => new
    {
        jobs = view.Jobs.Select(j => Summary(j, view.NowUtc)),
        next = view.Next is null ? null : Links.Cursor(view.Next),
    };

    public static object Summary(JobSummary j, DateTime now) => new
    {
        id = j.Id,
        name = j.Name,
        kind = j.Kind,
        state = j.State.Name(),
        role = j.Role.ToString().ToLowerInvariant(),
        epoch = j.Epoch,
        epochs = j.Epochs,
        progress = j.Progress,
        participants = j.Participants.Select(p => new { id = p.PartyId, role = p.Role.ToString().ToLowerInvariant() }),
        created_utc = j.CreatedUtc,
        updated_utc = j.UpdatedUtc,
        duration_seconds = j.Duration(now).TotalSeconds,
        reason = j.Reason,
    };

    public static object Status(JobSummary j) => new
    {
        id = j.Id,
        state = j.State.Name(),
        terminal = j.State.IsTerminal(),
        epoch = j.Epoch,
        progress = j.Progress,
        updated_utc = j.UpdatedUtc,
        version = Version(j),
    };

    /// <summary>Changes whenever anything the job page shows may have changed.</summary>
    public static string Version(JobSummary j) => $"{j.State.Name()}:{j.Epoch}:{j.UpdatedUtc.Ticks}";

    public static object Job(JobView v) => new
    {
        job = Summary(v.Summary, v.NowUtc),
        this_party = v.ThisParty,
        initiator = v.Initiator,
        states = v.Timeline.Select(s => new { state = s.State.Name(), entered_utc = s.EnteredUtc, seconds = s.Spent.TotalSeconds, current = s.Current }),
        failure = v.Failure is { } f ? new { reason = f.Reason, party = f.Party, how = f.How } : null,
        intersection = v.Intersection,
        final_evaluation = v.FinalEvaluation is { } e ? new { auc = e.Auc, ks = e.Ks, accuracy = e.Accuracy } : null,
        roc = v.Roc is { } r ? new { auc = r.Auc, ks = r.Ks, points = r.Points.Select(p => new[] { p.Share, p.Fpr, p.Tpr }) } : null,
        models = v.Models.Select(m => new
        {
            party = m.PartyId, role = m.Role.ToString().ToLowerInvariant(), version = m.Version, format = m.Format,
            weights = m.Weights.Select(w => new { feature = w.Feature, weight = w.Weight }), intercept = m.Intercept,
        }),
        encryption = v.Encryption.ToDictionary(p => p.Key, p => p.Value),
        traffic = v.Traffic.Select(Traffic),
        spec = v.Spec,
    };

    public static object Epochs(IReadOnlyList<EpochRow> rows) => rows.Select(e => new
    {
        epoch = e.Number, loss = Finite(e.Loss), auc = Finite(e.Auc), ks = Finite(e.Ks), accuracy = Finite(e.Accuracy),
        seconds = e.Seconds, bytes_sent = e.BytesSent,
    });

    public static object Audit(AuditView v) => new
    {
        entries = v.Entries.Select(r => new
        {
            id = r.Id, at_utc = r.Entry.AtUtc, direction = r.Entry.Direction.ToString().ToLowerInvariant(), peer = r.Entry.Peer,
            message_type = r.Entry.MessageType, size_bytes = r.Entry.SizeBytes,
        }),
        next_after = v.NextAfter,
    };

    public static object Participants(IReadOnlyList<Participant> list) => list.Select(p => new
    {
        id = p.PartyId, role = p.Role.ToString().ToLowerInvariant(), address = p.Address, certificate_sha256 = p.CertificateFingerprint,
        last_seen_utc = p.LastSeenUtc,
    });

    private static object Traffic(PeerTraffic t) => new
    {
        peer = t.Peer, direction = t.Direction.ToString().ToLowerInvariant(), messages = t.Messages, bytes = t.Bytes,
    };

    /// <summary>JSON has no NaN: a metric that could not be computed is null.</summary>
    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}
