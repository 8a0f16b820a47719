using System.Security.Cryptography;

namespace VerticalFL.Protocol.Psi;

/// <summary>How a stream of <paramref name="Total"/> items splits into batches.</summary>
internal readonly record struct PsiBatches(long Total, int Size)
{
    public int Count => (int)((Total + Size - 1) / Size);

    public int Start(int batch) => batch * Size;

    public int Length(int batch) => (int)Math.Min(Size, Total - (long)batch * Size);

    /// <summary>0..count−1 in a uniformly random order (CSPRNG), so stream positions reveal nothing.</summary>
    public static int[] Shuffled(int count)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++)
            order[i] = i;
        RandomNumberGenerator.Shuffle(order.AsSpan());
        return order;
    }

    /// <summary>Refuses null and duplicate ids: each party's list must be a set.</summary>
    public static void RequireSet(IReadOnlyList<string> ids)
    {
        var seen = new HashSet<string>(ids.Count, StringComparer.Ordinal);
        for (int i = 0; i < ids.Count; i++)
        {
            if (ids[i] is null)
                throw new ArgumentException($"Id {i} is null.", nameof(ids));
            if (!seen.Add(ids[i]))
                throw new ArgumentException($"Id {i} repeats an earlier id; PSI inputs must be sets.", nameof(ids));
        }
    }
}
