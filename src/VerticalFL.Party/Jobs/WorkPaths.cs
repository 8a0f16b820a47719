using VerticalFL.Ml.Data;

namespace VerticalFL.Party.Jobs;

/// <summary>
/// The one place a path under a party's work dir is made: it is resolved to a full path and refused
/// unless it stays strictly inside the work dir (a second line of defence behind <see cref="JobIds"/>).
/// </summary>
public static class WorkPaths
{
    /// <summary>The directory of one job: <c>WORK_DIR/jobs/JOB_ID</c>.</summary>
    public static string JobDirectory(string workDir, string jobId) =>
        Under(workDir, "jobs", JobIds.Require(jobId, "job id"));

    /// <summary>Joins <paramref name="parts"/> to <paramref name="root"/> and checks the result stays below it.</summary>
    /// <exception cref="BadInputException">The resolved path is the root itself or lies outside it.</exception>
    public static string Under(string root, params string[] parts)
    {
        string fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        string resolved = Path.GetFullPath(Path.Combine([fullRoot, .. parts]));
        string prefix = fullRoot + Path.DirectorySeparatorChar;
        if (!resolved.StartsWith(prefix, StringComparison.Ordinal))
            throw new BadInputException($"'{string.Join('/', parts)}' resolves to {resolved}, outside the work dir {fullRoot}.");
        return resolved;
    }
}
