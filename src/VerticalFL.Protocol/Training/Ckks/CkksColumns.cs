using VerticalFL.Crypto.Ckks;
using VerticalFL.Crypto.Encoding;
using VerticalFL.Ml.Training;

namespace VerticalFL.Protocol.Training;

/// <summary>
/// A party's plaintext feature columns, encoded at Δ_x in blocks of 4096 rows of a batch. When batch membership is
/// fixed for the job (CKKS's default schedule, <see cref="BatchShuffle.Batches"/>, or one full batch) each batch's
/// columns are encoded once, before the first epoch, and kept: 2 primes × 8192 × 8 bytes = 128 KiB per block and
/// column, i.e. 3.2 MB per column per 100,000 rows (3.8 MB in batches of 10,000, whose last block is part-filled).
/// Memory is bounded by <see cref="BudgetBytes"/>: batches that do not fit are encoded again each time they are used,
/// as are all batches of a schedule that reshuffles rows.
/// </summary>
internal sealed class CkksColumns
{
    /// <summary>Default bound on the cache of one party: 4 GiB (about 1,000 columns of 100,000 rows).</summary>
    public const long DefaultBudgetBytes = 4L << 30;

    private readonly CkksEncoder _encoder;
    private readonly PartyFeatures _features;
    private readonly BatchSchedule _schedule;
    private readonly double _unit;
    private readonly Dictionary<int, Plaintext[][]> _cached = [];

    /// <param name="context">The job's CKKS context (its parameters are fixed, so columns can be encoded before the key arrives).</param>
    public CkksColumns(CkksContext context, PartyFeatures features, int featureBits, BatchSchedule schedule, long budgetBytes = DefaultBudgetBytes)
    {
        (Context, _features, _schedule) = (context, features, schedule);
        _encoder = new CkksEncoder(context);
        _unit = Math.Pow(2, -featureBits);
        BudgetBytes = budgetBytes;
    }

    public long BudgetBytes { get; }
    public CkksContext Context { get; }

    /// <summary>Bytes of encoded columns held.</summary>
    public long CachedBytes { get; private set; }

    /// <summary>Bytes one encoded block of one column takes (its residues at the data level).</summary>
    public long BlockBytes => (long)Context.PrimeCountOf(Context.FirstParmsId) * Context.N * sizeof(ulong);

    /// <summary>Encodes every fixed batch that fits the budget (call once, before the first epoch).</summary>
    public void Prepare()
    {
        if (!_schedule.FixedMembership)
            return;
        var batches = _schedule.Epoch(0);
        var ids = _schedule.Order(0);
        for (int b = 0; b < batches.Length; b++)
            if (!_cached.ContainsKey(ids[b]) && Fits(batches[b].Length))
                Keep(ids[b], Encode(batches[b]));
    }

    /// <summary>[column][block] plaintexts of batch <paramref name="batchId"/>, whose rows are <paramref name="rows"/>.</summary>
    public Plaintext[][] Of(int batchId, int[] rows)
    {
        if (_cached.TryGetValue(batchId, out var kept))
            return kept;
        var encoded = Encode(rows);
        if (_schedule.FixedMembership && Fits(rows.Length))
            Keep(batchId, encoded);
        return encoded;
    }

    private bool Fits(int rows) => CachedBytes + BlockBytes * CkksDefaults.Blocks(rows) * _features.Columns <= BudgetBytes;

    private void Keep(int batchId, Plaintext[][] encoded)
    {
        foreach (var column in encoded)
            for (int b = 0; b < column.Length; b++)
                column[b] = column[b].CopyToPinnedHeap();
        _cached[batchId] = encoded;
        CachedBytes += BlockBytes * encoded.Sum(c => c.Length);
    }

    private Plaintext[][] Encode(int[] rows)
    {
        var batch = _features.Batch(rows);
        int blocks = CkksDefaults.Blocks(batch.Rows);
        var result = new Plaintext[batch.Columns][];
        for (int c = 0; c < batch.Columns; c++)
            result[c] = new Plaintext[blocks];
        Parallel.For(0, batch.Columns * blocks, k =>
        {
            int column = k / blocks, block = k % blocks;
            int start = block * CkksDefaults.SlotsPerCiphertext;
            int length = Math.Min(CkksDefaults.SlotsPerCiphertext, batch.Rows - start);
            var values = new double[length];
            for (int i = 0; i < length; i++)
                values[i] = batch[start + i, column] * _unit;
            result[column][block] = _encoder.Encode(values, CkksSession.FeatureScale);
        });
        return result;
    }
}
