using System.CommandLine;
using VerticalFL.Cli;
using VerticalFL.Cli.Commands;

var root = new RootCommand("vfl — VerticalFL: vertical federated learning (PSI + hetero logistic regression)");
root.Subcommands.Add(BenchCommand.Create());

return await ExitCodes.RunAsync(() => root.Parse(args).InvokeAsync());
