using System.CommandLine;
using VerticalFL.Cli.Data;
using VerticalFL.Cli.Local;
using VerticalFL.Party.Jobs;

namespace VerticalFL.Cli.Commands;

/// <summary>
/// <c>vfl demo</c>: synthetic bank and telecom data, dev certificates, guest + host + arbiter as three
/// processes on loopback with mTLS, PSI + training + evaluation, a summary next to a centralised fit.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var rows = new Option<int>("--rows") { Description = "Customers per party", DefaultValueFactory = _ => 5000 };
        var overlap = new Option<double>("--overlap") { Description = "Fraction of customers both parties have", DefaultValueFactory = _ => 0.8 };
        var hosts = new Option<int>("--hosts") { Description = "Number of telecom hosts", DefaultValueFactory = _ => 1 };
        var store = new Option<string>("--store") { Description = "The guest's store (default: a SQLite file in --work-dir)" };
        var workDir = new Option<string>("--work-dir") { Description = "Where data, keys, logs, models and stores go", DefaultValueFactory = _ => ".vfl/demo" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the results" };
        var smallBatches = SmallBatchesOption.Create();
        var board = RunCommand.BoardOption();
        var training = new TrainingOptions();
        var horizontal = new HorizontalOptions();
        var alpha = new Option<double>("--dirichlet-alpha") { Description = "--horizontal: Dirichlet α of the split by label (smaller: more skewed)", DefaultValueFactory = _ => 0.5 };
        var command = new Command("demo", "Run the whole platform on synthetic data: three processes, mTLS, PSI, training, evaluation (--horizontal: three data parties and the arbiter)")
        {
            rows, overlap, hosts, store, workDir, json, smallBatches, board, alpha,
        };
        training.AddTo(command);
        horizontal.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            string dir = Path.GetFullPath(parse.GetValue(workDir)!);
            if (horizontal.IsSet(parse))
                return await HorizontalDemo.RunAsync(parse, command, horizontal, new HorizontalDemo.Settings(dir, parse.GetValue(rows),
                    parse.GetResult(hosts) is { Implicit: false } ? parse.GetValue(hosts) : 2, parse.GetValue(alpha), parse.GetValue(store),
                    parse.GetValue(json), parse.GetValue(board)), ct);
            var files = new SyntheticFederation { Rows = parse.GetValue(rows), Overlap = parse.GetValue(overlap), Hosts = parse.GetValue(hosts) }
                .WriteTo(Path.Combine(dir, "data"));
            var request = new FederatedRunRequest(dir, files.GuestPath, files.HostPaths, "id", "y", training.Read(parse, parse.GetValue(hosts)),
                parse.GetValue(store), parse.GetValue(json), parse.GetValue(smallBatches), parse.GetValue(board));
            if (!request.Json)
                Console.WriteLine($"generated {parse.GetValue(rows):N0} bank and telecom customers ({files.SharedCustomers:N0} shared) in {Path.Combine(dir, "data")}");
            int Summarise(Contracts.V1.JobReport report)
            {
                var baseline = CentralisedBaseline.Train(files.GuestPath, files.HostPaths, "id", "y",
                    JobParameters.Training(new JobSpec { Data = new DataSpec { Guest = "g", Hosts = files.HostPaths.ToDictionary(p => p, _ => "h") }, Training = TrainingParameters.Of(request.Training) }));
                return RunCommand.Finish(report, request, RunCommand.StoreOf(request),
                    json => json["centralised_auc"] = Math.Round(baseline.Auc, 6),
                    () => Console.WriteLine($"  centralised AUC   {baseline.Auc:0.0000}   (plaintext LR on the joined data, same settings; federated − centralised = {Signed(report.Auc - baseline.Auc)})"));
            }
            int? code = null;
            var report = await FederatedRun.RunAsync(request, ct, r => code = Summarise(r));
            return code ?? Summarise(report);
        });
        return command;
    }

    private static string Signed(double difference)
    {
        double rounded = Math.Round(difference, 4);
        return rounded == 0 ? "0.0000" : rounded.ToString("+0.0000;-0.0000", System.Globalization.CultureInfo.InvariantCulture);
    }
}
