using System.CommandLine;

namespace VerticalFL.Cli.Commands;

/// <summary>`--allow-small-batches` of `vfl demo` and `vfl run`: written into the local hosts' configs, never into the job.</summary>
internal static class SmallBatchesOption
{
    public static Option<bool> Create() => new("--allow-small-batches")
    {
        Description = "Let the local hosts accept batches below max(256, 16 × features) rows (small data only: labels become searchable, docs/security.md)",
    };
}
