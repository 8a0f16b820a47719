using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using VerticalFL.Ml.Data;
using VerticalFL.Ml.Horizontal;
using VerticalFL.Ml.Metrics;
using VerticalFL.Ml.Training;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Horizontal;

namespace VerticalFL.Cli.Commands;

/// <summary>
/// <c>vfl bench horizontal</c>: a horizontal federation in this process (arbiter and N clients over an
/// InMemoryFederation, messages serialised as on the wire). The benchmark dataset's guest and host columns are
/// joined, its rows split among the clients (IID or Dirichlet-α by label), and each method's global model is
/// scored on all rows after every round, next to the same network trained centrally on all rows for the same
/// number of epochs. Prints seconds and bytes per round, final AUC and the rounds to come within 0.01 and 0.002.
/// </summary>
internal static class BenchHorizontalCommand
{
    private static readonly string[] AllMethods = ["fedavg", "fedprox", "fednova", "fedadam"];

    public static Command Create()
    {
        var dataset = new Option<string>("--dataset") { Description = "breast | default_credit", DefaultValueFactory = _ => "default_credit" };
        var dataDir = new Option<string>("--data-dir") { Description = "Directory with the *_hetero_{guest,host}.csv files", DefaultValueFactory = _ => "../shared/datasets" };
        var clients = new Option<string>("--clients") { Description = "Data parties the rows are split among (a comma list with --secure-aggregation)", DefaultValueFactory = _ => "3" };
        var secure = new Option<bool>("--secure-aggregation") { Description = "Plain against secure-aggregation FedAvg per client count (default model ~10,000 parameters, 3 rounds)" };
        var split = new Option<string>("--split") { Description = "iid | dirichlet", DefaultValueFactory = _ => "iid" };
        split.AcceptOnlyFromAmong("iid", "dirichlet");
        var alpha = new Option<double>("--dirichlet-alpha") { Description = "Dirichlet α of the label skew (--split dirichlet)", DefaultValueFactory = _ => 0.5 };
        var methods = new Option<string>("--methods") { Description = "Comma list of fedavg, fedprox, fednova, fedadam, fedyogi, fedadagrad", DefaultValueFactory = _ => string.Join(",", AllMethods) };
        var rounds = new Option<int?>("--rounds") { Description = "Rounds (default: the dataset's)" };
        var epochs = new Option<int>("--epochs-per-round") { Description = "Local epochs per round", DefaultValueFactory = _ => 1 };
        var hidden = new Option<string>("--hidden") { Description = "Hidden layer sizes, e.g. 16 or 32,16 (default: none, logistic)", DefaultValueFactory = _ => "" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text" };
        var asyncOptions = new AsyncBenchOptions();
        var command = new Command("horizontal", "Horizontal FL in-process: seconds and bytes per round, AUC against centralised training")
        {
            dataset, dataDir, clients, split, alpha, methods, rounds, epochs, hidden, json, secure,
        };
        asyncOptions.AddTo(command);
        var privacyOptions = new PrivacyBenchOptions();
        privacyOptions.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            string name = parse.GetValue(dataset)!;
            var counts = ClientCounts(parse.GetValue(clients)!);
            if (parse.GetValue(secure))
                return await SecureAsync(parse, name, counts, parse.GetValue(dataDir)!, parse.GetValue(rounds), parse.GetValue(epochs), parse.GetValue(hidden)!,
                    parse.GetValue(split)!, parse.GetValue(alpha), parse.GetValue(json), ct);
            if (counts.Length != 1)
                throw new ArgumentException($"--clients takes one count (a list only with --secure-aggregation); got '{parse.GetValue(clients)}'.");
            int clientCount = counts[0];
            var all = Load(name, parse.GetValue(dataDir)!);
            var parts = Split(all, clientCount, parse.GetValue(split)!, parse.GetValue(alpha));
            var baseParameters = Settings(name, parse.GetValue(rounds), parse.GetValue(epochs), Hidden(parse.GetValue(hidden)!), clientCount);
            var progress = parse.GetValue(json) ? null : Console.Out;
            progress?.WriteLine($"{name}: {all.Rows:N0} rows × {all.Columns} features, {clientCount} clients ({parse.GetValue(split)}" +
                (parse.GetValue(split) == "dirichlet" ? $" α {parse.GetValue(alpha)}" : "") + $"; rows {string.Join("/", parts.Select(p => p.Rows))}; " +
                $"positives {string.Join("/", parts.Select(p => p.Labels!.Count(y => y == 1)))})");
            double central = await CentralisedAucAsync(all, baseParameters, ct);
            progress?.WriteLine($"centralised ({baseParameters.Rounds * baseParameters.EpochsPerRound} epochs on all rows): AUC {central:F5}");
            var results = new List<Dictionary<string, object>>();
            var asyncBench = asyncOptions.Read(parse);
            var privacyBench = privacyOptions.Read(parse);

            foreach (var method in parse.GetValue(methods)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var methodParameters = baseParameters with { Aggregation = Aggregation(method) };
                if (privacyBench is not null)
                    results.AddRange(await privacyBench.RunAsync(method, asyncBench?.Apply(methodParameters) ?? methodParameters, all, parts, central,
                        progress, ct, asyncBench?.Slowdown(parts.Length)));
                else if (asyncBench is null)
                    results.Add(await RunMethodAsync(method, methodParameters, all, parts, central, progress, ct));
                else
                    results.Add(await asyncBench.RunAsync(method, methodParameters, all, parts, central, progress, ct));
            }
            var figures = new Dictionary<string, object>
            {
                ["dataset"] = name, ["rows"] = all.Rows, ["features"] = all.Columns, ["clients"] = clientCount, ["split"] = parse.GetValue(split)!,
                ["dirichlet_alpha"] = parse.GetValue(alpha), ["rounds"] = baseParameters.Rounds, ["epochs_per_round"] = baseParameters.EpochsPerRound,
                ["batch_size"] = baseParameters.BatchSize, ["learning_rate"] = baseParameters.LearningRate, ["hidden"] = baseParameters.Hidden,
                ["centralised_auc"] = Math.Round(central, 5), ["cores"] = Environment.ProcessorCount, ["methods"] = results,
            };
            if (parse.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true }));
            else
                foreach (var r in results)
                    Console.WriteLine($"{r["method"],-11} final AUC {r["final_auc"]:F5} (Δ {r["auc_difference"]:+0.00000;-0.00000}), rounds to 0.01: {r["rounds_to_0.01"]}, " +
                        $"to 0.002: {r["rounds_to_0.002"]}; {r["seconds_per_round"]} s/round, {r["kilobytes_per_round"]} kB/round");
            return ExitCodes.Success;
        });
        return command;
    }

    private static int[] ClientCounts(string text)
    {
        try
        {
            var counts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
            if (counts.Length > 0 && counts.All(c => c >= 1))
                return counts;
        }
        catch (FormatException)
        {
        }
        throw new ArgumentException($"--clients must be a count of at least 1 (or a comma list like 3,10,50); got '{text}'.");
    }

    private static async Task<int> SecureAsync(ParseResult parse, string name, int[] counts, string dataDir, int? rounds, int epochs, string hidden,
        string split, double alpha, bool json, CancellationToken ct)
    {
        if (counts.FirstOrDefault(c => c < 3) is > 0 and var few)
            throw new ArgumentException($"--clients: secure aggregation needs at least 3 clients (with 2 each learns the other's update); got {few}.");
        var all = Load(name, dataDir);
        // Default model: one hidden layer sized for ~10,000 parameters ((f + 1)·h + (h + 1)·2), the issue's target size.
        var layers = hidden.Length > 0 ? Hidden(hidden) : [(int)Math.Round((10_000 - 2) / (double)(all.Columns + 3))];
        var parameters = Settings(name, rounds ?? 3, epochs, layers, counts.Max());
        var progress = json ? null : Console.Out;
        progress?.WriteLine($"{name}: {all.Rows:N0} rows × {all.Columns} features, hidden [{string.Join(",", layers)}], {parameters.Rounds} rounds, " +
            $"FedAvg plain vs secure aggregation, clients {string.Join(",", counts)}");
        var figures = await BenchSecureAggregation.RunAsync(all, counts, parameters, split, alpha, progress, ct);
        figures["dataset"] = name;
        if (json)
            Console.WriteLine(JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true }));
        return ExitCodes.Success;
    }

    /// <summary>Learning settings per dataset, shared by every method and the centralised run.</summary>
    private static HorizontalParameters Settings(string dataset, int? rounds, int epochs, int[] hidden, int clients) => new()
    {
        Rounds = rounds ?? (dataset == "breast" ? 40 : 30),
        EpochsPerRound = epochs,
        BatchSize = dataset == "breast" ? 16 : 128,
        LearningRate = dataset == "breast" ? 0.05 : 0.02,
        Hidden = hidden,
        MinParticipants = clients,
        ValidationFraction = 0,   // the bench scores the global model on all rows itself, as the centralised reference is scored
        RoundDeadline = TimeSpan.FromMinutes(10),
    };

    private static AggregationSettings Aggregation(string method) => method switch
    {
        "fedavg" => new() { Method = AggregationMethod.FedAvg },
        "fedprox" => new() { Method = AggregationMethod.FedProx, Mu = 0.01 },
        "fednova" => new() { Method = AggregationMethod.FedNova },
        "fedadam" => new() { Method = AggregationMethod.FedOpt, ServerOptimizer = ServerOptimizer.Adam, ServerLearningRate = 0.03, Tau = 1e-3 },
        "fedyogi" => new() { Method = AggregationMethod.FedOpt, ServerOptimizer = ServerOptimizer.Yogi, ServerLearningRate = 0.03, Tau = 1e-3 },
        "fedadagrad" => new() { Method = AggregationMethod.FedOpt, ServerOptimizer = ServerOptimizer.Adagrad, ServerLearningRate = 0.03, Tau = 1e-3 },
        _ => throw new ArgumentException($"--methods: '{method}' is not one of fedavg, fedprox, fednova, fedadam, fedyogi, fedadagrad."),
    };

    internal static async Task<Dictionary<string, object>> RunMethodAsync(string method, HorizontalParameters parameters, Dataset all,
        Dataset[] parts, double central, TextWriter? progress, CancellationToken ct, Func<int, Func<int, CancellationToken, Task>?>? slow = null,
        Action<string, AsyncOutcome>? onUpdate = null)
    {
        var names = parts.Select((_, i) => $"client{i + 1}").ToArray();
        var federation = new InMemoryFederation([.. names, "arbiter"], TimeSpan.FromMinutes(30));
        var rounds = new RoundLog(all, federation, parameters.Hidden.ToArray());
        var clock = Stopwatch.StartNew();
        var arbiter = parameters.Mode == HorizontalMode.Sync
            ? new HorizontalArbiter(federation.Channel("arbiter", method), names, parameters) { Observer = rounds }.RunAsync(ct)
            : new AsyncHorizontalArbiter(federation.Channel("arbiter", method), names, parameters) { Observer = rounds, OnUpdate = onUpdate }.RunAsync(ct);
        var clients = parts.Select((data, i) => new HorizontalClient(federation.Channel(names[i], method), "arbiter", parameters, data)
        {
            BeforeUpdate = slow?.Invoke(i),
        }.RunAsync(ct)).ToArray();
        var result = await arbiter;
        await Task.WhenAll(clients);
        double seconds = clock.Elapsed.TotalSeconds;
        var aucs = rounds.Aucs;
        double finalAuc = aucs[^1];
        progress?.WriteLine($"  {method}: AUC by round {string.Join(" ", aucs.Select(a => a.ToString("F4")))}");
        return new Dictionary<string, object>
        {
            ["method"] = method, ["final_auc"] = Math.Round(finalAuc, 5), ["auc_difference"] = Math.Round(finalAuc - central, 5),
            ["rounds_to_0.01"] = RoundsWithin(aucs, central, 0.01), ["rounds_to_0.002"] = RoundsWithin(aucs, central, 0.002),
            ["seconds_per_round"] = Math.Round(rounds.Seconds.Average(), 3),
            ["total_seconds"] = Math.Round(seconds, 1),
            // Setup (columns, statistics) and the final model's broadcast excluded: the rounds' messages only.
            ["kilobytes_per_round"] = Math.Round(rounds.Bytes.Average() / 1e3, 1),
            ["parameters"] = result.Model.Weights.Length,
            ["auc_by_round"] = aucs.Select(a => Math.Round(a, 5)).ToArray(),
            ["train_loss_by_round"] = result.Rounds.Select(r => Math.Round(r.TrainLoss, 6)).ToArray(),
            ["refused_stale"] = result.RefusedStale,
            ["epsilon_by_round"] = result.Rounds.Where(r => r.EpsilonSpent is not null).Select(r => Math.Round(r.EpsilonSpent!.Value, 5)).ToArray(),
        };
    }

    /// <summary>First round whose model is within <paramref name="tolerance"/> of the centralised AUC (or above it), or "never".</summary>
    internal static object RoundsWithin(IReadOnlyList<double> aucs, double central, double tolerance)
    {
        for (int i = 0; i < aucs.Count; i++)
            if (aucs[i] >= central - tolerance)
                return i + 1;
        return "never";
    }

    /// <summary>The same network, optimiser and epochs with every row at one client (FedAvg over one client is plain mini-batch training).</summary>
    private static async Task<double> CentralisedAucAsync(Dataset all, HorizontalParameters parameters, CancellationToken ct)
    {
        var one = parameters with { Rounds = 1, EpochsPerRound = parameters.Rounds * parameters.EpochsPerRound, MinParticipants = 1 };
        var federation = new InMemoryFederation(["all", "arbiter"], TimeSpan.FromMinutes(30));
        var arbiter = new HorizontalArbiter(federation.Channel("arbiter", "central"), ["all"], one).RunAsync(ct);
        var client = new HorizontalClient(federation.Channel("all", "central"), "arbiter", one, all).RunAsync(ct);
        var model = (await arbiter).Model;
        await client;
        return Auc(model, all);
    }

    private static double Auc(HorizontalModel model, Dataset data) =>
        BinaryMetrics.Auc(model.Predict(data).Select(p => p[1]).ToArray(), data.Labels!);

    internal static Dataset Load(string dataset, string dataDir)
    {
        if (dataset is not ("breast" or "default_credit"))
            throw new ArgumentException($"--dataset must be breast or default_credit; got '{dataset}'.");
        var guest = CsvDatasetReader.Read(Path.Combine(dataDir, $"{dataset}_hetero_guest.csv"), new CsvReadOptions { LabelColumn = "y" }).Dataset;
        var host = CsvDatasetReader.Read(Path.Combine(dataDir, $"{dataset}_hetero_host.csv")).Dataset;
        // Horizontal data needs every column at every party: the vertical split's halves are joined back first.
        return Dataset.JoinColumns([guest, host.SelectRows(guest.Ids)]);
    }

    internal static Dataset[] Split(Dataset all, int parties, string split, double alpha) =>
        (split == "dirichlet" ? RowSplit.Dirichlet(all.Labels!, parties, alpha, seed: 42) : RowSplit.Iid(all.Rows, parties, seed: 42))
        .Select((rows, i) => rows.Length > 0 ? all.RowsAt(rows)
            : throw new ArgumentException($"client {i + 1} got no rows from the {split} split; use fewer clients or a larger --dirichlet-alpha."))
        .ToArray();

    private static int[] Hidden(string text)
    {
        try
        {
            return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        }
        catch (FormatException)
        {
            throw new ArgumentException($"--hidden must be layer sizes like 16 or 32,16; got '{text}'.");
        }
    }

    /// <summary>Per round: wall seconds, bytes sent by everyone, and the global model's AUC on all rows.</summary>
    private sealed class RoundLog(Dataset all, InMemoryFederation federation, int[] hidden) : IHorizontalObserver
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _bytes = federation.BytesSent;
        private HorizontalModel? _shape;

        public List<double> Seconds { get; } = [];
        public List<long> Bytes { get; } = [];
        public List<double> Aucs { get; } = [];

        public void OnRound(HorizontalRoundReport report)
        {
            // The round's time runs from the previous report; the first round's from the end of setup is close enough
            // at these sizes (setup is two small exchanges).
            Seconds.Add(_clock.Elapsed.TotalSeconds);
            long sent = federation.BytesSent;
            Bytes.Add(sent - _bytes);
            _bytes = sent;
            _shape ??= Shape(report.Weights.Length);
            Aucs.Add(Auc(_shape with { Weights = report.Weights }, all));
            _clock.Restart();
        }

        // With no validation hold-out every row is some client's training row, so the agreed scaling is the scaler of all rows.
        private HorizontalModel Shape(int parameters)
        {
            var scaler = Ml.Preprocessing.StandardScaler.Fit(all.Values, all.Columns);
            return new HorizontalModel(all.FeatureNames.ToArray(), scaler.Means, scaler.Scales, 2, hidden, new double[parameters]);
        }
    }
}
