namespace VerticalFL.Protocol.Training;

/// <summary>
/// When hosts send the guest plaintext scores X_h·w_h of the validation rows. Each snapshot is one vector in
/// the k_h-dimensional column space of X_h; k_h snapshots with known (or guessable) weight changes would let
/// the guest solve for X_h itself. So fewer than k_h snapshots reach the guest (always allowing the final one,
/// which prediction releases anyway): validation_freq is widened until the count fits.
/// </summary>
internal static class ValidationPlan
{
    /// <summary>Snapshots a host with <paramref name="hostFeatures"/> features gives: k_h − 1, but at least the final one.</summary>
    public static int AllowedSnapshots(int hostFeatures) => Math.Max(1, hostFeatures - 1);

    /// <summary>Snapshots over <paramref name="epochs"/> epochs validating every <paramref name="every"/>: ⌈E/K⌉ (early stops only lower it).</summary>
    public static int Snapshots(int epochs, int every) => every <= 0 ? 0 : (epochs + every - 1) / every;

    /// <summary>The guest's choice: validation_freq, widened until the host with the fewest features accepts it.</summary>
    public static int Every(HeteroLrParameters parameters, int fewestHostFeatures)
    {
        if (parameters.ValidationFreq == 0)
            return 0;
        int every = parameters.ValidationFreq;
        while (Snapshots(parameters.Epochs, every) > AllowedSnapshots(fewestHostFeatures))
            every++;
        return every;
    }

    /// <summary>Validate every <paramref name="every"/> epochs and after the last one (0: never).</summary>
    public static bool Due(int every, int epochs, int epoch, bool stopping) =>
        every > 0 && ((epoch + 1) % every == 0 || stopping || epoch == epochs - 1);

    /// <summary>A host's check of the guest's choice; "" when it gives fewer snapshots than the host's features.</summary>
    public static string Refusal(string host, int every, int epochs, int hostFeatures) =>
        Snapshots(epochs, every) <= AllowedSnapshots(hostFeatures)
            ? ""
            : $"validation: validating every {every} epochs over {epochs} would give the guest {Snapshots(epochs, every)} snapshots of " +
              $"host '{host}''s scores, at most {AllowedSnapshots(hostFeatures)} are allowed for its {hostFeatures} features.";
}
