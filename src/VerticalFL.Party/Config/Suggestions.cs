namespace VerticalFL.Party.Config;

/// <summary>"Did you mean …" for a name an operator mistyped: the closest allowed name within a few edits.</summary>
public static class Suggestions
{
    /// <summary>The allowed name closest to <paramref name="typed"/>, or null when none is near (a third of its length, at least 1 edit).</summary>
    public static string? Closest(string typed, IEnumerable<string> allowed)
    {
        int limit = Math.Max(1, typed.Length / 3);
        var best = allowed.Select(a => (Name: a, Distance: Distance(typed.ToLowerInvariant(), a.ToLowerInvariant())))
            .Where(a => a.Distance <= limit)
            .OrderBy(a => a.Distance)
            .FirstOrDefault();
        return best.Name;
    }

    /// <summary>" did you mean 'x'?" or "".</summary>
    public static string DidYouMean(string typed, IEnumerable<string> allowed) =>
        Closest(typed, allowed) is { } near ? $" did you mean '{near}'?" : "";

    /// <summary>Levenshtein distance (insert, delete, substitute one character).</summary>
    internal static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
