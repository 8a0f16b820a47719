using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using VerticalFL.Party.Config;

namespace VerticalFL.Party.Jobs;

/// <summary>
/// What another organisation may read of this party's job reasons. A reason that would disclose this party's
/// internals (its file paths, row and column numbers and cell values, the names of its data sources) crosses as a
/// category and a reference id; the details stay in this party's own log (with the same reference) and store.
/// </summary>
public sealed partial class SharedReasons(PartyConfig config, ILogger logger)
{
    private readonly ConcurrentDictionary<string, bool> _logged = new(StringComparer.Ordinal);

    /// <summary>The reason as another party may see it.</summary>
    public string Share(string jobId, string reason)
    {
        if (Category(reason) is not { } category) return reason;
        string reference = Reference(jobId, reason);
        if (_logged.TryAdd(reference, true))
            logger.LogWarning("Job {JobId}: reason shared with other parties only as {Reference}: {Reason}", jobId, reference, reason);
        return $"{category} at {config.Party.Id} (ref {reference}); {config.Party.Id}'s operator has the details in its log";
    }

    /// <summary>A guest's own failure as the job's other participants store it: "failed at the guest: " and the reason as far as it may cross.</summary>
    public string FailedAtGuest(string jobId, string reason) => "failed at the guest: " + Share(jobId, reason);

    /// <summary>Null when the reason discloses nothing of this party's internals.</summary>
    private string? Category(string reason)
    {
        if (reason.Contains("(configured: ", StringComparison.Ordinal) || reason.Contains("no data source named", StringComparison.Ordinal))
            return "unknown data source";
        if (FilePosition().IsMatch(reason) || config.Data.Values.Any(path => Mentions(reason, path))
            || (config.WorkDir.Length > 0 && reason.Contains(config.WorkDir, StringComparison.Ordinal)))
            return "data error";
        return null;
    }

    /// <summary>A data file named by its path, or by its file name when that has an extension (not a bare word).</summary>
    private static bool Mentions(string reason, string path)
    {
        string name = Path.GetFileName(path);
        return path.Length > 0 && (reason.Contains(path, StringComparison.Ordinal)
                                   || (name.Contains('.') && reason.Contains(name, StringComparison.Ordinal)));
    }

    /// <summary>"R-" and 8 hex digits: the same for the same job and reason, so the log line is easy to find.</summary>
    internal static string Reference(string jobId, string reason) =>
        "R-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(jobId + "\n" + reason)))[..8];

    // file.csv:12 or file:12:3, as CSV and YAML errors name a position.
    [GeneratedRegex(@"\.(csv|tsv|txt|yaml|yml|json)\b:\d+|\S+:\d+:\d+:")]
    private static partial Regex FilePosition();
}
