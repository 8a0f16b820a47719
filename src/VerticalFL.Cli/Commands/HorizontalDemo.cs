using System.CommandLine;
using System.Diagnostics;
using VerticalFL.Cli.Data;
using VerticalFL.Cli.Local;
using VerticalFL.Ml.Data;
using VerticalFL.Ml.Metrics;
using VerticalFL.Party.Jobs;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Horizontal;
using VerticalFL.Protocol.Models;

namespace VerticalFL.Cli.Commands;

/// <summary>
/// <c>vfl demo --horizontal</c>: generated rows of the same columns split non-IID by label (Dirichlet α) across the guest
/// and the hosts, a horizontal job on the real services (each party its own process, mTLS, the arbiter aggregating), then
/// the global model scored on held-out rows next to the same model trained centrally on every party's rows.
/// </summary>
internal static class HorizontalDemo
{
    public sealed record Settings(string Directory, int RowsPerParty, int Hosts, double Alpha, string? Store, bool Json, bool Board);

    public static async Task<int> RunAsync(ParseResult parse, Command command, HorizontalOptions options, Settings settings, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        int parties = settings.Hosts + 1;
        var files = new SyntheticHorizontal
        {
            Rows = (int)(settings.RowsPerParty * parties / 0.8), Parties = parties, DirichletAlpha = settings.Alpha,
        }.WriteTo(Path.Combine(settings.Directory, "data"));
        var training = options.Read(parse, command);
        var request = new FederatedRunRequest(settings.Directory, files.PartyPaths[0], files.PartyPaths.Skip(1).ToList(), "id", "y", training,
            settings.Store, settings.Json, KeepBoard: settings.Board, Horizontal: true);
        if (!settings.Json)
        {
            Console.WriteLine($"generated {files.Rows.Sum():N0} rows for {parties} data parties, split by label with Dirichlet α {settings.Alpha}, and held-out rows, in {Path.Combine(settings.Directory, "data")}:");
            for (int p = 0; p < parties; p++)
                Console.WriteLine($"  {(p == 0 ? LocalFederation.Guest : LocalFederation.HostId(p - 1, settings.Hosts)),-10} {files.Rows[p],6:N0} rows, {100.0 * files.Positives[p] / files.Rows[p],5:0.0} % positive");
        }
        int Summarise(Contracts.V1.JobReport report)
        {
            var test = CsvDatasetReader.Read(files.TestPath, new CsvReadOptions { LabelColumn = "y" }).Dataset;
            double? federated = report.Summary.State == "succeeded" && File.Exists(report.ModelPath)
                ? TestAuc(ModelFile.LoadHorizontal(report.ModelPath), test) : null;
            double central = CentralisedTestAuc(files, training, test, ct);
            double seconds = clock.Elapsed.TotalSeconds;
            return RunCommand.Finish(report, request, RunCommand.StoreOf(request),
                json =>
                {
                    json["test_auc"] = federated is { } f ? Math.Round(f, 6) : null;
                    json["centralised_test_auc"] = Math.Round(central, 6);
                    json["demo_seconds"] = Math.Round(seconds, 1);
                },
                () =>
                {
                    if (federated is { } f)
                        Console.WriteLine($"  held-out AUC      {f:0.0000}   ({test.Rows:N0} rows no party trained on, scored with the model alone: vfl predict --model {report.ModelPath} --data {files.TestPath})");
                    Console.WriteLine($"  centralised AUC   {central:0.0000}   (the same model and settings trained on every party's rows pooled, same held-out rows)");
                    Console.WriteLine($"  demo took         {seconds:0.0} s");
                });
        }
        int? code = null;
        var report = await FederatedRun.RunAsync(request, ct, r => code = Summarise(r));
        return code ?? Summarise(report);
    }

    private static double TestAuc(HorizontalModel model, Dataset test) =>
        BinaryMetrics.Auc(model.Predict(test).Select(p => p[1]).ToArray(), test.Labels!);

    /// <summary>One client holding every party's rows: the same network and optimiser, all epochs in one round.</summary>
    private static double CentralisedTestAuc(HorizontalFiles files, IReadOnlyDictionary<string, string> training, Dataset test, CancellationToken ct)
    {
        var spec = new JobSpec
        {
            Kind = JobKinds.Horizontal,
            Data = new DataSpec { Parties = files.PartyPaths.Select((_, i) => ($"p{i}", "d")).ToDictionary(p => p.Item1, p => p.Item2) },
            Training = TrainingParameters.Of(training),
        };
        var parameters = HorizontalTraining.Parameters(spec);
        var one = parameters with { Rounds = 1, EpochsPerRound = parameters.Rounds * parameters.EpochsPerRound, MinParticipants = 1, MaxParticipants = 0 };
        var all = Dataset.JoinRows(files.PartyPaths.Select(p => CsvDatasetReader.Read(p, new CsvReadOptions { LabelColumn = "y" }).Dataset).ToList());
        var federation = new InMemoryFederation(["all", "arbiter"], TimeSpan.FromMinutes(30));
        var arbiter = new HorizontalArbiter(federation.Channel("arbiter", "central"), ["all"], one).RunAsync(ct);
        var client = new HorizontalClient(federation.Channel("all", "central"), "arbiter", one, all).RunAsync(ct);
        var model = arbiter.GetAwaiter().GetResult().Model;
        client.GetAwaiter().GetResult();
        return TestAuc(model, test);
    }
}
