namespace VerticalFL.Protocol.Training;

/// <summary>
/// What a host lets a guest's training job ask of it. It comes from the host's own configuration
/// (party YAML), never from the job, so a guest cannot lower it.
/// </summary>
public sealed record HostTrainingPolicy
{
    /// <summary>The safe default: the batch floor of <see cref="BatchFloor"/> applies.</summary>
    public static HostTrainingPolicy Default { get; } = new();

    /// <summary>
    /// Accept batches below <see cref="BatchFloor.For"/> (small test and demo data). The hard limit that keeps
    /// the guest from solving for this host's scores (batches above 2·(guest features + 1)) still applies.
    /// </summary>
    public bool AllowSmallBatches { get; init; }
}
