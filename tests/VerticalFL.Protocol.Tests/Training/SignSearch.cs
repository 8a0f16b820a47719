using VerticalFL.Crypto.Encoding;

namespace VerticalFL.Protocol.Tests.Training;

/// <summary>
/// The curious host's exact label search: every s ∈ {±1}^B with Σᵢ x[i,j]·sᵢ = target[j] for each of the
/// host's k columns, by meeting in the middle (2·2^(B/2) partial sums instead of 2^B). Up to 4 columns.
/// </summary>
internal static class SignSearch
{
    public static List<int[]> Solve(QuantizedMatrix x, long[] target)
    {
        if (x.Columns is < 1 or > 4 || target.Length != x.Columns || x.Rows > 40)
            throw new ArgumentException("SignSearch handles 1–4 columns and at most 40 rows.");
        int half = x.Rows / 2;
        var left = new Dictionary<Sums, List<int>>();
        for (int mask = 0; mask < 1 << half; mask++)
        {
            var sums = Partial(x, 0, half, mask);
            if (!left.TryGetValue(sums, out var list))
                left[sums] = list = [];
            list.Add(mask);
        }
        var solutions = new List<int[]>();
        int rest = x.Rows - half;
        for (int mask = 0; mask < 1 << rest; mask++)
        {
            var right = Partial(x, half, rest, mask);
            var needed = new Sums(target.ElementAtOrDefault(0) - right.A, target.ElementAtOrDefault(1) - right.B,
                target.ElementAtOrDefault(2) - right.C, target.ElementAtOrDefault(3) - right.D);
            if (left.TryGetValue(needed, out var matches))
                solutions.AddRange(matches.Select(m => Signs(m, half).Concat(Signs(mask, rest)).ToArray()));
        }
        return solutions;
    }

    private readonly record struct Sums(long A, long B, long C, long D);

    /// <summary>Σ over rows [from, from + count) of x[i,j]·(bit i of mask ? +1 : −1).</summary>
    private static Sums Partial(QuantizedMatrix x, int from, int count, int mask)
    {
        Span<long> s = stackalloc long[4];
        for (int i = 0; i < count; i++)
        {
            int sign = ((mask >> i) & 1) == 1 ? 1 : -1;
            for (int j = 0; j < x.Columns; j++)
                s[j] += sign * x[from + i, j];
        }
        return new Sums(s[0], s[1], s[2], s[3]);
    }

    private static IEnumerable<int> Signs(int mask, int count) => Enumerable.Range(0, count).Select(i => ((mask >> i) & 1) == 1 ? 1 : -1);
}
