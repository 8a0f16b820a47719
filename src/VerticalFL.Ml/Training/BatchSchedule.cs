namespace VerticalFL.Ml.Training;

/// <summary>
/// The rows each mini-batch of an epoch covers, derived from a seed alone so every party walks the
/// same rows in the same order. Rows are shuffled per epoch and split into batches whose sizes
/// differ by at most one (so no trailing tiny batch). Batch size −1 means one full batch in row order.
/// </summary>
public sealed class BatchSchedule
{
    public BatchSchedule(int rows, int batchSize, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        if (batchSize == 0 || batchSize < -1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batch_size must be positive or -1 (full batch).");
        Rows = rows;
        BatchSize = batchSize == -1 ? rows : Math.Min(batchSize, rows);
        Seed = seed;
        BatchesPerEpoch = (rows + BatchSize - 1) / BatchSize;
    }

    public int Rows { get; }
    public int BatchSize { get; }
    public long Seed { get; }
    public int BatchesPerEpoch { get; }

    /// <summary>The smallest batch this schedule produces.</summary>
    public int SmallestBatch => Rows / BatchesPerEpoch;

    /// <summary>The size of batch <paramref name="batch"/> of any epoch (the first Rows mod batches are one row larger).</summary>
    public int BatchRows(int batch) => Rows / BatchesPerEpoch + (batch < Rows % BatchesPerEpoch ? 1 : 0);

    /// <summary>Row indices of every batch of <paramref name="epoch"/>.</summary>
    public int[][] Epoch(int epoch)
    {
        var order = Enumerable.Range(0, Rows).ToArray();
        if (BatchesPerEpoch > 1)
            Shuffle(order, new DeterministicRandom(Seed, epoch + 1));
        var batches = new int[BatchesPerEpoch][];
        int start = 0;
        for (int b = 0; b < BatchesPerEpoch; b++)
        {
            int size = BatchRows(b);
            batches[b] = order[start..(start + size)];
            start += size;
        }
        return batches;
    }

    private static void Shuffle(int[] items, DeterministicRandom random)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
