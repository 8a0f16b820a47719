using System.CommandLine;
using VerticalFL.Cli;
using VerticalFL.Cli.Commands;

var root = new RootCommand("vfl — VerticalFL: vertical federated learning (PSI + hetero logistic regression)");
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(KeysCommand.Create());
root.Subcommands.Add(DatagenCommand.Create());
root.Subcommands.Add(PartyCommand.Create());
root.Subcommands.Add(JobCommand.Create());
root.Subcommands.Add(PredictCommand.Create());
root.Subcommands.Add(HealthCommand.Create());
root.Subcommands.Add(PsiCommand.Create());
root.Subcommands.Add(CkksCommand.Create());
root.Subcommands.Add(BoardCommand.Create());
root.Subcommands.Add(ServeCommand.Create());

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
        Console.Error.WriteLine($"error: {error.Message}");
    Console.Error.WriteLine("Run 'vfl --help' for usage.");
    return ExitCodes.BadInput;
}
return await ExitCodes.RunAsync(() => parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
