using System.CommandLine;
using VerticalFL.Cli;
using VerticalFL.Cli.Commands;

var root = new RootCommand("vfl — VerticalFL: vertical federated learning (PSI + hetero logistic regression)");
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(KeysCommand.Create());
root.Subcommands.Add(DatagenCommand.Create());

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
        Console.Error.WriteLine($"error: {error.Message}");
    Console.Error.WriteLine("Run 'vfl --help' for usage.");
    return ExitCodes.BadInput;
}
return await ExitCodes.RunAsync(() => parsed.InvokeAsync());
