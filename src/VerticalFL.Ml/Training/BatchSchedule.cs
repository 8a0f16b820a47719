namespace VerticalFL.Ml.Training;

/// <summary>How a schedule varies its mini-batches between epochs.</summary>
public enum BatchShuffle
{
    /// <summary>Rows are reshuffled every epoch, so each epoch's batches hold different rows (FATE's way).</summary>
    Rows,
    /// <summary>
    /// Rows are shuffled once per job into fixed batches; each epoch walks those batches in a new order. A party can
    /// then prepare a batch's columns once per job (CKKS encodes them once: docs/protocol/hetero-lr-ckks.md).
    /// </summary>
    Batches,
}

/// <summary>
/// The rows each mini-batch of an epoch covers, derived from a seed alone so every party walks the
/// same rows in the same order. Rows are shuffled (per epoch, or once per job with <see cref="BatchShuffle.Batches"/>)
/// and split into batches whose sizes differ by at most one (so no trailing tiny batch). Batch size −1 means one
/// full batch in row order.
/// </summary>
public sealed class BatchSchedule
{
    private int[]? _fixedOrder;

    public BatchSchedule(int rows, int batchSize, long seed, BatchShuffle shuffle = BatchShuffle.Rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        if (batchSize == 0 || batchSize < -1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batch_size must be positive or -1 (full batch).");
        Rows = rows;
        BatchSize = batchSize == -1 ? rows : Math.Min(batchSize, rows);
        Seed = seed;
        Shuffle = shuffle;
        BatchesPerEpoch = (rows + BatchSize - 1) / BatchSize;
    }

    public int Rows { get; }
    public int BatchSize { get; }
    public long Seed { get; }
    public int BatchesPerEpoch { get; }
    public BatchShuffle Shuffle { get; }

    /// <summary>Whether batch <c>id</c> holds the same rows in every epoch (fixed batches, or a single full batch).</summary>
    public bool FixedMembership => Shuffle == BatchShuffle.Batches || BatchesPerEpoch == 1;

    /// <summary>The smallest batch this schedule produces.</summary>
    public int SmallestBatch => Rows / BatchesPerEpoch;

    /// <summary>The size of batch <paramref name="batch"/> (its id; the first Rows mod batches are one row larger).</summary>
    public int BatchRows(int batch) => Rows / BatchesPerEpoch + (batch < Rows % BatchesPerEpoch ? 1 : 0);

    /// <summary>
    /// The ids of the batches <paramref name="epoch"/> walks, in order: 0, 1, … when rows are reshuffled (the id is the
    /// position), a permutation of the fixed batches otherwise.
    /// </summary>
    public int[] Order(int epoch)
    {
        var ids = Enumerable.Range(0, BatchesPerEpoch).ToArray();
        if (Shuffle == BatchShuffle.Batches && BatchesPerEpoch > 1)
            ShuffleInPlace(ids, new DeterministicRandom(Seed, epoch + 1));
        return ids;
    }

    /// <summary>Row indices of every batch of <paramref name="epoch"/>, in the order of <see cref="Order"/>.</summary>
    public int[][] Epoch(int epoch)
    {
        var order = Shuffle == BatchShuffle.Batches ? _fixedOrder ??= RowOrder(0) : RowOrder(epoch + 1);
        var starts = new int[BatchesPerEpoch + 1];
        for (int b = 0; b < BatchesPerEpoch; b++)
            starts[b + 1] = starts[b] + BatchRows(b);
        return Order(epoch).Select(id => order[starts[id]..starts[id + 1]]).ToArray();
    }

    /// <summary>All rows, shuffled by stream <paramref name="stream"/> of the seed unless there is one batch.</summary>
    private int[] RowOrder(int stream)
    {
        var order = Enumerable.Range(0, Rows).ToArray();
        if (BatchesPerEpoch > 1)
            ShuffleInPlace(order, new DeterministicRandom(Seed, stream));
        return order;
    }

    private static void ShuffleInPlace(int[] items, DeterministicRandom random)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
