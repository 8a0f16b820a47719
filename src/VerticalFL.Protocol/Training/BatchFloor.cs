namespace VerticalFL.Protocol.Training;

/// <summary>
/// The smallest mini-batch a host accepts. A host's exact gradient gives k equations Σᵢ xᵢⱼ·dᵢ over the
/// batch's B residuals; while the guest's first residuals were ±2 (public initial weights), labels fell
/// to a 2^(B/2) search. The floor keeps B large against that search and against lattice reduction
/// (docs/security.md, "Batch floor"); the guest's gradient gives it k_g + 1 equations in the host's B
/// scores, so B ≤ 2·(k_g + 1) is refused whatever the host's settings.
/// </summary>
public static class BatchFloor
{
    /// <summary>2^(B/2) = 2^128 meet-in-the-middle work at B = 256.</summary>
    public const int Minimum = 256;

    /// <summary>Rows per feature of the largest party: keeps the lattice's density B/(bits per equation·k) high.</summary>
    public const int RowsPerFeature = 16;

    /// <summary>max(256, 16 × the largest party's feature count).</summary>
    public static int For(int largestFeatureCount) => Math.Max(Minimum, RowsPerFeature * largestFeatureCount);

    /// <summary>Why <paramref name="host"/> refuses batches of <paramref name="smallestBatch"/> rows, or "" if it accepts them.</summary>
    public static string Refusal(string host, HostTrainingPolicy policy, int smallestBatch, int hostFeatures, int guestFeatures)
    {
        int solvable = 2 * (guestFeatures + 1);
        if (smallestBatch <= solvable)
            return $"batch_size: batches of {smallestBatch} rows do not exceed 2 × (the guest's {guestFeatures} features + 1) = {solvable}; " +
                   $"host '{host}' refuses them whatever its allow_small_batches says, since the guest's gradient would let it solve for the host's scores.";
        int floor = For(Math.Max(hostFeatures, guestFeatures));
        if (!policy.AllowSmallBatches && smallestBatch < floor)
            return $"batch_size: batches of {smallestBatch} rows are below host '{host}''s floor of {floor} rows " +
                   $"(max({Minimum}, {RowsPerFeature} × {Math.Max(hostFeatures, guestFeatures)} features)), which keeps labels from being " +
                   $"searched out of its gradient; host '{host}' has allow_small_batches off in its party configuration (docs/security.md).";
        return "";
    }
}
