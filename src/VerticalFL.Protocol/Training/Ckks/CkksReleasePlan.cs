namespace VerticalFL.Protocol.Training;

/// <summary>
/// How many flooded releases a CKKS job makes (the key's τ): per batch one per gradient value of every data party
/// (guest features + intercept, each host's features) and one for the loss when it is computed, times the batches of
/// every epoch still to run. Checked against <see cref="HeteroLrParameters.CkksMaxReleases"/> before training starts.
/// </summary>
internal static class CkksReleasePlan
{
    public static long Releases(HeteroLrParameters parameters, int hostCount, int rows, int startEpoch, IEnumerable<int> gradientLengths)
    {
        var schedule = parameters.ScheduleOver(rows);
        long perBatch = gradientLengths.Sum(l => (long)l) + (parameters.LossComputed(hostCount) ? 1 : 0);
        return perBatch * schedule.BatchesPerEpoch * Math.Max(0, parameters.Epochs - startEpoch);
    }

    /// <summary>Why the job cannot run under its release ceiling, with the numbers, or "" when it fits.</summary>
    public static string Refusal(HeteroLrParameters parameters, int hostCount, int rows, int startEpoch, IReadOnlyCollection<int> gradientLengths)
    {
        if (parameters.Encryption != EncryptionScheme.Ckks)
            return "";
        long needed = Releases(parameters, hostCount, rows, startEpoch, gradientLengths);
        if (needed <= parameters.CkksMaxReleases)
            return "";
        var schedule = parameters.ScheduleOver(rows);
        return $"encryption ckks: the job needs {needed:N0} flooded releases ({parameters.Epochs - startEpoch} epochs × " +
            $"{schedule.BatchesPerEpoch} batches × {needed / Math.Max(1, (long)schedule.BatchesPerEpoch * (parameters.Epochs - startEpoch)):N0} " +
            $"values per batch: {gradientLengths.Sum()} gradient values{(parameters.LossComputed(hostCount) ? " + 1 loss" : "")}), " +
            $"over the key's budget ckks_max_releases = {parameters.CkksMaxReleases:N0}; use fewer epochs, larger batches or fewer features.";
    }
}
