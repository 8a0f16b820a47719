using VerticalFL.Contracts.V1;

namespace VerticalFL.Protocol.Horizontal;

/// <summary>
/// What a client secure-sums in a round, in this order: its weighted contribution (P reals); n_i, n_i·τ_i and its
/// training loss sum (reals) and training rows (count); its validation rows (count), loss sum (real) and correct
/// count; the binary score histograms (2 × auc_bins counts, binary models only); and how many of its values were
/// clipped (count). Everything the plain protocol pools is a sum, so the arbiter needs nothing but this sum.
/// <para>
/// Quantisation to Z_2^64: a real x becomes round(x·2^f) (f = <c>fractional_bits</c>, default 24: resolution
/// 6·10^−8), a count is kept as the integer. Each client's value is clipped to ±⌊(2^63 − 1)/n⌋ ring units (n = clients
/// in the round; for f = 24 and n = 50 that is ±1.1·10^10 in real units), so the sum of n clients never wraps and
/// decodes exactly as a signed 64-bit integer. The error of a decoded real sum is at most n·2^−(f+1).
/// </para>
/// </summary>
internal sealed class SecureVectorLayout(int parameters, int bins)
{
    private const int Scalars = 7;

    public int Parameters { get; } = parameters;
    public int Bins { get; } = bins;
    public int Length => Parameters + Scalars + 2 * Bins + 1;

    public static SecureVectorLayout For(int parameters, int classes, int aucBins) => new(parameters, classes == 2 ? aucBins : 0);

    /// <summary>Counts are summed exactly; everything else is a fixed-point real.</summary>
    public bool IsCount(int i) => i >= Parameters && (i - Parameters) switch
    {
        0 or 1 or 2 or 5 => false,
        _ => true,
    };

    public double[] Compose(ClientUpdate update)
    {
        if (update.Contribution.Count != Parameters)
            throw new ArgumentException($"the update has {update.Contribution.Count} entries, the model {Parameters}.", nameof(update));
        var v = new double[Length];
        update.Contribution.CopyTo(v, 0);
        int p = Parameters;
        v[p] = update.Weight;
        v[p + 1] = update.StepWeight;
        v[p + 2] = update.TrainLossSum;
        v[p + 3] = update.TrainRows;
        var validation = update.Validation ?? new ValidationStats();
        v[p + 4] = validation.Rows;
        v[p + 5] = validation.LossSum;
        v[p + 6] = validation.Correct;
        if (validation.PositiveBins.Count == Bins && validation.NegativeBins.Count == Bins)
            for (int b = 0; b < Bins; b++)
            {
                v[p + Scalars + b] = validation.PositiveBins[b];
                v[p + Scalars + Bins + b] = validation.NegativeBins[b];
            }
        else if (validation.Rows > 0 && Bins > 0)
            throw new ArgumentException($"validation histograms of {validation.PositiveBins.Count} bins, the job's {Bins}.", nameof(update));
        return v;
    }

    /// <summary>The ring elements of <paramref name="values"/>; the last (clipped-count) entry is set here.</summary>
    public ulong[] Quantise(double[] values, int clients, int fractionalBits)
    {
        if (values.Length != Length)
            throw new ArgumentException($"{values.Length} values for a layout of {Length}.", nameof(values));
        long bound = Bound(clients);
        double scale = Math.Pow(2, fractionalBits);
        var ring = new ulong[Length];
        long clipped = 0;
        for (int i = 0; i < Length - 1; i++)
        {
            double x = IsCount(i) ? values[i] : values[i] * scale;
            long q;
            if (double.IsNaN(x))
            {
                q = 0;
                clipped++;
            }
            else if (Math.Abs(x) > bound)
            {
                q = x > 0 ? bound : -bound;
                clipped++;
            }
            else
                q = (long)Math.Round(x);
            ring[i] = unchecked((ulong)q);
        }
        ring[^1] = (ulong)clipped;
        return ring;
    }

    /// <summary>Largest |value| in ring units one of <paramref name="clients"/> clients may send.</summary>
    public static long Bound(int clients) => long.MaxValue / Math.Max(1, clients);

    public double[] Dequantise(ulong[] sum, int fractionalBits)
    {
        double scale = Math.Pow(2, -fractionalBits);
        var v = new double[sum.Length];
        for (int i = 0; i < sum.Length; i++)
            v[i] = IsCount(i) ? unchecked((long)sum[i]) : unchecked((long)sum[i]) * scale;
        return v;
    }

    /// <summary>The round's sums in the shapes the plain path produces.</summary>
    public (ContributionSum Sum, double TrainLoss, PooledMetrics Validation, long Clipped) Decompose(double[] v, int clients)
    {
        int p = Parameters;
        var sum = new ContributionSum(v[..p], v[p], v[p + 1], clients);
        double trainLoss = v[p + 2] / Math.Max(1, v[p + 3]);
        var stats = new ValidationStats { Rows = (long)v[p + 4], LossSum = v[p + 5], Correct = (long)v[p + 6] };
        for (int b = 0; b < Bins; b++)
            stats.PositiveBins.Add((long)v[p + Scalars + b]);
        for (int b = 0; b < Bins; b++)
            stats.NegativeBins.Add((long)v[p + Scalars + Bins + b]);
        return (sum, trainLoss, Validation.Pool([stats]), (long)v[^1]);
    }
}
