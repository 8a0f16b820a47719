namespace VerticalFL.Protocol.Horizontal;

/// <summary>
/// Job spec <c>secure_aggregation: { enabled, threshold, neighbours }</c> (docs/protocol/horizontal.md, "Secure aggregation").
/// </summary>
public sealed record SecureAggregationSettings
{
    public bool Enabled { get; init; }

    /// <summary>
    /// t as a fraction of each client's share holders (its k neighbours and itself): t = ⌈threshold·(k + 1)⌉. Any t
    /// holders reconstruct a client's secrets; fewer learn nothing. In (1/2, 1]; default 2/3.
    /// </summary>
    public double Threshold { get; init; } = 2.0 / 3;

    /// <summary>k, the degree of the neighbour graph: 0 = auto (2⌈log₂ n⌉, capped at n − 1), or an even number ≥ 2.</summary>
    public int Neighbours { get; init; }

    /// <summary>Fixed-point fraction bits f of the quantisation to Z_2^64 (resolution 2^−f).</summary>
    public int FractionalBits { get; init; } = 24;

    /// <summary>How long the arbiter waits at each step after the key advertisements (those wait for the round deadline).</summary>
    public TimeSpan StepDeadline { get; init; } = TimeSpan.FromSeconds(60);

    internal void Validate(HorizontalParameters parameters, Action<bool, string, string> check)
    {
        if (!Enabled)
            return;
        check(Threshold is > 0.5 and <= 1, "secure_aggregation.threshold", $"must be in (1/2, 1]; got {Threshold}");
        check(Neighbours == 0 || (Neighbours >= 2 && Neighbours % 2 == 0), "secure_aggregation.neighbours",
            $"must be auto (0) or an even number ≥ 2; got {Neighbours}");
        check(FractionalBits is >= 8 and <= 40, "secure_aggregation.fractional_bits", $"must be in [8, 40]; got {FractionalBits}");
        check(StepDeadline > TimeSpan.Zero, "secure_aggregation.step_deadline_seconds", $"must be positive; got {StepDeadline.TotalSeconds}");
        check(parameters.Mode != HorizontalMode.FedAsync, "secure_aggregation",
            "cannot be combined with mode fedasync: FedAsync applies one client's update at a time, so any sum the arbiter could unmask is that client's update");
        check(parameters.Mode != HorizontalMode.FedBuff, "secure_aggregation",
            "with mode fedbuff (a secure sum per buffer) is not implemented yet; use mode sync");
        check(parameters.MaxParticipants == 0 || parameters.MaxParticipants >= 3, "max_participants",
            $"must be 0 (all) or ≥ 3 with secure aggregation (a sum of two updates tells each client the other's); got {parameters.MaxParticipants}");
    }
}
