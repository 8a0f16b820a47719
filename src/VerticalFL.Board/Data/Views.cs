using VerticalFL.Storage;

namespace VerticalFL.Board.Data;

/// <summary>A job as a list shows it.</summary>
internal sealed record JobSummary(
    string Id, string Name, string Kind, JobState State, PartyRole Role, int Epoch, int? Epochs, double Progress,
    IReadOnlyList<JobParty> Participants, DateTime CreatedUtc, DateTime UpdatedUtc, string? Reason)
{
    /// <summary>Until now for a running job, until its last change for an ended one.</summary>
    public TimeSpan Duration(DateTime nowUtc) => (State.IsTerminal() ? UpdatedUtc : nowUtc) - CreatedUtc;
}

/// <summary>A page of the job list and the filter that made it.</summary>
internal sealed record JobListView(IReadOnlyList<JobSummary> Jobs, JobListQuery Query, JobCursor? Next, DateTime NowUtc);

/// <summary>Time spent in one state (to now, for the state a running job is in).</summary>
internal sealed record StateSpan(JobState State, DateTime EnteredUtc, TimeSpan Spent, bool Current);

/// <summary>One epoch's row as the board shows it; <paramref name="Number"/> counts from 1.</summary>
internal sealed record EpochRow(int Number, double? Loss, double? Auc, double? Ks, double? Accuracy, double Seconds, long BytesSent);

/// <summary>The final model's ROC on the guest's evaluation rows: points are (share of rows, FPR, TPR).</summary>
internal sealed record RocView(double Auc, double Ks, IReadOnlyList<(double Share, double Fpr, double Tpr)> Points);

/// <summary>A model part this party holds: its own feature weights only.</summary>
internal sealed record ModelPartView(string PartyId, PartyRole Role, int Version, string Format, IReadOnlyList<(string Feature, double Weight)> Weights,
    double? Intercept, DateTime CreatedUtc);

/// <summary>Who ended a job badly, as far as this party's store says.</summary>
internal sealed record FailureView(string Reason, string? Party, string How);

/// <summary>Everything the job page shows.</summary>
internal sealed record JobView(
    JobSummary Summary,
    string Initiator,
    string? ThisParty,
    IReadOnlyList<StateSpan> Timeline,
    FailureView? Failure,
    long? Intersection,
    IReadOnlyList<EpochRow> Epochs,
    EpochRow? FinalEvaluation,
    RocView? Roc,
    IReadOnlyList<ModelPartView> Models,
    IReadOnlyList<KeyValuePair<string, string>> Encryption,
    IReadOnlyList<PeerTraffic> Traffic,
    string Spec,
    DateTime NowUtc);

/// <summary>A page of a job's audit trail.</summary>
internal sealed record AuditView(JobSummary Job, IReadOnlyList<AuditRecord> Entries, long After, long? NextAfter);
