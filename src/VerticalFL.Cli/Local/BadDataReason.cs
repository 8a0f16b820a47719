namespace VerticalFL.Cli.Local;

/// <summary>
/// Tells a job that failed on its input data (exit 2, like any bad input) from one that failed for other
/// reasons (exit 1), by its final reason: the guest names its own file and position, a host shares only
/// "data error at &lt;host&gt; (ref …)" (see the party's SharedReasons).
/// </summary>
internal static class BadDataReason
{
    public static bool Matches(string? reason, IEnumerable<string> inputFiles) =>
        reason is not null
        && (reason.Contains("data error at ", StringComparison.Ordinal)
            || inputFiles.Select(Path.GetFullPath).Any(f => reason.Contains(f + ":", StringComparison.Ordinal)));
}
