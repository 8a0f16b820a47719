using VerticalFL.Ml.Training;

namespace VerticalFL.Ml.Horizontal;

/// <summary>
/// Splits row indices among parties for horizontal experiments: IID (a seeded shuffle dealt round-robin) or
/// non-IID by label (for each class, the parties' shares drawn from a symmetric Dirichlet(α); Hsu et al. 2019).
/// </summary>
public static class RowSplit
{
    public static int[][] Iid(int rows, int parties, long seed)
    {
        CheckParties(parties);
        var order = Shuffled(Enumerable.Range(0, rows).ToArray(), new DeterministicRandom(seed, stream: 0x11d));
        return Enumerable.Range(0, parties).Select(p => order.Where((_, i) => i % parties == p).ToArray()).ToArray();
    }

    /// <summary>Rows of each label value dealt to parties in Dirichlet(α) proportions; smaller α is more skewed.</summary>
    public static int[][] Dirichlet(ReadOnlySpan<double> labels, int parties, double alpha, long seed)
    {
        CheckParties(parties);
        if (!(alpha > 0) || double.IsInfinity(alpha))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "The Dirichlet α must be a positive number.");
        var random = new DeterministicRandom(seed, stream: 0xd1c);
        var shares = Enumerable.Range(0, parties).Select(_ => new List<int>()).ToArray();
        var byLabel = new SortedDictionary<double, List<int>>();
        for (int r = 0; r < labels.Length; r++)
        {
            if (!byLabel.TryGetValue(labels[r], out var list))
                byLabel[labels[r]] = list = [];
            list.Add(r);
        }
        foreach (var rowsOfClass in byLabel.Values)
        {
            var rows = Shuffled(rowsOfClass.ToArray(), random);
            var proportions = Gamma.SampleDirichlet(parties, alpha, random);
            int start = 0;
            double cumulative = 0;
            for (int p = 0; p < parties; p++)
            {
                cumulative += proportions[p];
                int end = p == parties - 1 ? rows.Length : (int)Math.Round(cumulative * rows.Length);
                shares[p].AddRange(rows[start..end]);
                start = end;
            }
        }
        return shares.Select(s => s.Order().ToArray()).ToArray();
    }

    private static void CheckParties(int parties)
    {
        if (parties < 1)
            throw new ArgumentOutOfRangeException(nameof(parties), parties, "At least one party is needed.");
    }

    private static int[] Shuffled(int[] items, DeterministicRandom random)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
        return items;
    }
}

/// <summary>Gamma variates by Marsaglia & Tsang (2000), for Dirichlet draws (normalised Gamma(α, 1) samples).</summary>
public static class Gamma
{
    public static double[] SampleDirichlet(int size, double alpha, DeterministicRandom random)
    {
        var draws = new double[size];
        double sum = 0;
        for (int i = 0; i < size; i++)
            sum += draws[i] = Sample(alpha, random);
        if (sum <= 0)   // every draw underflowed (tiny α): fall back to one party holding the class
        {
            draws[random.NextInt(size)] = 1;
            return draws;
        }
        for (int i = 0; i < size; i++)
            draws[i] /= sum;
        return draws;
    }

    public static double Sample(double shape, DeterministicRandom random)
    {
        if (shape < 1)   // boost: Gamma(a) = Gamma(a + 1) · U^(1/a)
            return Sample(shape + 1, random) * Math.Pow(1 - random.NextDouble(), 1 / shape);
        double d = shape - 1.0 / 3, c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = StandardNormal(random);
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = 1 - random.NextDouble();
            if (Math.Log(u) < 0.5 * x * x + d - d * v + d * Math.Log(v))
                return d * v;
        }
    }

    /// <summary>Box–Muller; one of the pair is used (simplicity over speed: a few draws per class).</summary>
    private static double StandardNormal(DeterministicRandom random)
    {
        double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
