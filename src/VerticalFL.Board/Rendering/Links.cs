using System.Globalization;
using VerticalFL.Storage;

namespace VerticalFL.Board.Rendering;

/// <summary>The board's addresses; ids and filters are URL-escaped, cursors are opaque strings.</summary>
internal static class Links
{
    public static string Job(string id) => "/board/jobs/" + Uri.EscapeDataString(id);

    public static string Audit(string id, long after = 0) =>
        Job(id) + "/audit" + (after > 0 ? "?after=" + after.ToString(CultureInfo.InvariantCulture) : "");

    public static string Jobs(JobListQuery query, JobCursor? after)
    {
        var parts = new List<string>();
        if (query.State is { } s) parts.Add("state=" + s.Name());
        if (query.Kind is { } k) parts.Add("kind=" + Uri.EscapeDataString(k));
        if (after is not null) parts.Add("after=" + Uri.EscapeDataString(Cursor(after)));
        return "/board" + (parts.Count > 0 ? "?" + string.Join("&", parts) : "");
    }

    /// <summary>A job list cursor as text: the creation time's ticks, '~', the job id.</summary>
    public static string Cursor(JobCursor cursor) => cursor.CreatedUtc.Ticks.ToString(CultureInfo.InvariantCulture) + "~" + cursor.Id;

    public static JobCursor? ParseCursor(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        int tilde = text.IndexOf('~', StringComparison.Ordinal);
        if (tilde <= 0 || tilde == text.Length - 1
            || !long.TryParse(text[..tilde], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || ticks > DateTime.MaxValue.Ticks)
            throw new FormatException($"after: '{text}' is not a cursor from this board (ticks~job-id).");
        return new JobCursor(new DateTime(ticks, DateTimeKind.Utc), text[(tilde + 1)..]);
    }
}
