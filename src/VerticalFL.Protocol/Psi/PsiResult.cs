namespace VerticalFL.Protocol.Psi;

/// <summary>
/// The intersection as this party sees it: the shared ids sorted by ordinal string comparison, so
/// position i names the same person on every side, and where each one sits in this party's input.
/// </summary>
public sealed class PsiResult
{
    internal PsiResult(string[] ids, int[] rows)
    {
        Ids = ids;
        Rows = rows;
    }

    /// <summary>The intersection, sorted (ordinal).</summary>
    public IReadOnlyList<string> Ids { get; }

    /// <summary><c>Rows[i]</c> is the index of <c>Ids[i]</c> in the id list this party passed in.</summary>
    public IReadOnlyList<int> Rows { get; }

    public int Count => Ids.Count;

    /// <summary>Sorts the chosen input rows by id and builds the result.</summary>
    internal static PsiResult FromRows(IReadOnlyList<string> input, int[] rows)
    {
        var ids = new string[rows.Length];
        for (int i = 0; i < rows.Length; i++)
            ids[i] = input[rows[i]];
        Array.Sort(ids, rows, StringComparer.Ordinal);
        return new PsiResult(ids, rows);
    }
}
