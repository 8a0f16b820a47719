using VerticalFL.Crypto.Ckks;
using VerticalFL.Crypto.Encoding;

namespace VerticalFL.Protocol.Training;

/// <summary>
/// A party's plaintext feature columns, encoded at Δ_x in blocks of 4096 rows. When every epoch walks the same
/// batches (one full batch in row order) the encodings are made once per job and kept: 2 primes × 8192 × 8 bytes
/// = 128 KiB per block and column, i.e. about 3.2 MB per column per 100,000 rows. Shuffled mini-batches hold
/// different rows each epoch, so their columns are encoded per batch and not kept.
/// </summary>
internal sealed class CkksColumns(CkksSession session, int featureBits, bool cache)
{
    private readonly Dictionary<int, Plaintext[][]> _cached = [];

    /// <summary>[column][block] plaintexts of the batch's rows (cached under <paramref name="batchIndex"/> when caching).</summary>
    public Plaintext[][] Of(int batchIndex, QuantizedMatrix batch)
    {
        if (cache && _cached.TryGetValue(batchIndex, out var kept))
            return kept;
        var encoded = Encode(batch);
        if (cache)
            _cached[batchIndex] = encoded;
        return encoded;
    }

    private Plaintext[][] Encode(QuantizedMatrix batch)
    {
        int blocks = CkksDefaults.Blocks(batch.Rows);
        double unit = Math.Pow(2, -featureBits);
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
                values[i] = batch[start + i, column] * unit;
            result[column][block] = session.Encoder.Encode(values, CkksSession.FeatureScale);
        });
        return result;
    }
}
