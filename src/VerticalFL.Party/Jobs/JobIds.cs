using System.Text.RegularExpressions;
using VerticalFL.Ml.Data;

namespace VerticalFL.Party.Jobs;

/// <summary>
/// What a job id may look like. Ids arrive from other parties (proposals), operators (CLI, operator API)
/// and stored specs (<c>model_job</c>, <c>resume_from</c>), and become directory names, so only a narrow
/// alphabet is accepted: no separators, dots, upper case or anything longer than 63 characters.
/// </summary>
public static partial class JobIds
{
    public const string Rule = "1-63 of a-z, 0-9, '_', '-', starting with a letter or digit";

    public static bool IsValid(string? jobId) => jobId is not null && Pattern().IsMatch(jobId);

    /// <summary>Returns <paramref name="jobId"/> when valid.</summary>
    /// <param name="what">Names the argument or field in the error (e.g. "model_job").</param>
    /// <exception cref="BadInputException">The id does not match the rule.</exception>
    public static string Require(string? jobId, string what) =>
        Problem(jobId, what) is { } problem ? throw new BadInputException(problem) : jobId!;

    /// <summary>Why <paramref name="jobId"/> is refused, or null when it is valid.</summary>
    public static string? Problem(string? jobId, string what) =>
        IsValid(jobId) ? null : $"{what}: {Show(jobId)} is not a valid job id ({Rule}).";

    /// <summary>The id as it may appear in an error: quoted, and cut short so a huge id cannot flood a log.</summary>
    private static string Show(string? jobId) =>
        jobId is null ? "(none)" : jobId.Length <= 70 ? $"'{jobId}'" : $"'{jobId[..70]}…' ({jobId.Length} characters)";

    // \z, not $: $ would also match before a trailing newline.
    [GeneratedRegex(@"^[a-z0-9][a-z0-9_-]{0,62}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
