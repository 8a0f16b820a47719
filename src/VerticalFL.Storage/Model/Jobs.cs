namespace VerticalFL.Storage;

/// <summary>A party taking part in a job.</summary>
public sealed record JobParty(string PartyId, PartyRole Role);

/// <summary>What it takes to create a job; it starts <see cref="JobState.Pending"/>.</summary>
/// <param name="Id">Unique in this store; at most 64 characters.</param>
/// <param name="Role">This party's role in the job.</param>
/// <param name="Initiator">The guest that submitted the job.</param>
/// <param name="Participants">Every party in the job, this one included.</param>
/// <param name="Spec">The job specification as submitted (YAML or JSON text).</param>
public sealed record NewJob(string Id, PartyRole Role, string Initiator, IReadOnlyList<JobParty> Participants, string Spec)
{
    /// <summary>The job's kind as the spec names it (<c>train</c>, <c>predict</c>, <c>psi</c>); lists filter on it.</summary>
    public string Kind { get; init; } = "train";
}

/// <summary>A job as stored. Timestamps are UTC.</summary>
/// <param name="Reason">Why the job failed or was cancelled (or a note on success); null otherwise.</param>
/// <param name="Epoch">The last completed epoch (0 before training).</param>
/// <param name="Progress">Fraction of the current phase done, 0 to 1: of PSI, then of the epochs.</param>
public sealed record JobRecord(
    string Id,
    PartyRole Role,
    string Initiator,
    IReadOnlyList<JobParty> Participants,
    string Spec,
    JobState State,
    string? Reason,
    int Epoch,
    double Progress,
    DateTime CreatedUtc,
    DateTime UpdatedUtc);
