using System.CommandLine;

namespace VerticalFL.Cli.Commands;

/// <summary><c>vfl bench …</c>: benchmarks that print measured figures (never timed unit tests).</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Measure the speed of a component and print the figures");
        // Each benchmark registers itself here, one line each.
        bench.Subcommands.Add(BenchCkksCommand.Create());
        bench.Subcommands.Add(BenchLrCommand.Create());
        bench.Subcommands.Add(BenchHorizontalCommand.Create());
        bench.Subcommands.Add(BenchPaillierCommand.Create());
        bench.Subcommands.Add(BenchPsiCommand.Create());
        bench.Subcommands.Add(BenchServingCommand.Create());
        foreach (var command in BenchTransportCommand.Create()) bench.Subcommands.Add(command);
        return bench;
    }
}
