using System.CommandLine;
using VerticalFL.Party.Jobs;

namespace VerticalFL.Cli.Commands;

/// <summary>Refuses a malformed job id at parse time (exit 2) before any connection is opened.</summary>
internal static class JobIdValidation
{
    public static Argument<string> Argument(string name, string? description = null)
    {
        var argument = new Argument<string>(name) { Description = description };
        argument.Validators.Add(result =>
        {
            if (JobIds.Problem(result.GetValueOrDefault<string>(), name) is { } problem) result.AddError(problem);
        });
        return argument;
    }

    public static Option<string> Checked(this Option<string> option)
    {
        option.Validators.Add(result =>
        {
            if (JobIds.Problem(result.GetValueOrDefault<string>(), option.Name) is { } problem) result.AddError(problem);
        });
        return option;
    }
}
