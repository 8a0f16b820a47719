namespace VerticalFL.Party.Config;

/// <summary>
/// What a host lets a trusted guest ask of it (the host config's <c>policy:</c> section). A guest that may run
/// PSI or prediction on any set, as often as it likes, can enumerate the host's customers and score any id;
/// these limits bound that (docs/security.md, "Host policy").
/// </summary>
public sealed class HostPolicy
{
    /// <summary>The guest's PSI set may hold at most this many times the host's own number of ids.</summary>
    public double MaxGuestSetRatio { get; set; } = 10;

    /// <summary>Jobs a guest may start with this host in any 24 hours. Every job kind runs PSI, so every job counts.</summary>
    public int MaxPsiJobsPerGuestPerDay { get; set; } = 50;

    /// <summary>Prediction jobs (<c>kind: predict</c>) a guest may start with this host in any 24 hours.</summary>
    public int MaxPredictJobsPerGuestPerDay { get; set; } = 20;

    /// <summary>When true, each job waits for <c>vfl job approve</c> by this host's operator.</summary>
    public bool RequireApproval { get; set; }

    /// <summary>How long a job waits for the operator's approval before the host refuses it.</summary>
    public int ApprovalTimeoutSeconds { get; set; } = 3600;

    /// <summary>Online prediction: ids a guest may have scored per second, sustained (token bucket refill).</summary>
    public double ServingIdsPerSecond { get; set; } = 200;

    /// <summary>Online prediction: ids a guest may have scored at once after a quiet spell (bucket size).</summary>
    public int ServingBurst { get; set; } = 400;

    /// <summary>Online prediction: ids a guest may have scored per UTC day.</summary>
    public long ServingIdsPerDay { get; set; } = 100_000;

    /// <summary>The problems with these values, each naming its key; empty when valid.</summary>
    public IEnumerable<string> Problems()
    {
        if (!(MaxGuestSetRatio > 0) || double.IsInfinity(MaxGuestSetRatio))
            yield return $"policy.max_guest_set_ratio must be a positive number (got {MaxGuestSetRatio})";
        if (MaxPsiJobsPerGuestPerDay < 0)
            yield return $"policy.max_psi_jobs_per_guest_per_day must be 0 or more (got {MaxPsiJobsPerGuestPerDay})";
        if (MaxPredictJobsPerGuestPerDay < 0)
            yield return $"policy.max_predict_jobs_per_guest_per_day must be 0 or more (got {MaxPredictJobsPerGuestPerDay})";
        if (!(ServingIdsPerSecond >= 0) || double.IsInfinity(ServingIdsPerSecond))
            yield return $"policy.serving_ids_per_second must be 0 or more (got {ServingIdsPerSecond})";
        if (ServingBurst < 1)
            yield return $"policy.serving_burst must be at least 1 (got {ServingBurst})";
        if (ServingIdsPerDay < 0)
            yield return $"policy.serving_ids_per_day must be 0 or more (got {ServingIdsPerDay})";
        if (ApprovalTimeoutSeconds <= 0)
            yield return $"policy.approval_timeout_seconds must be positive (got {ApprovalTimeoutSeconds})";
    }
}
