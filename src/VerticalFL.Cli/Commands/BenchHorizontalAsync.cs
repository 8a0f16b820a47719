using System.CommandLine;
using VerticalFL.Ml.Data;
using VerticalFL.Ml.Training;
using VerticalFL.Protocol.Horizontal;

namespace VerticalFL.Cli.Commands;

/// <summary>
/// <c>vfl bench horizontal --mode async|buffered</c>: each method runs synchronously and then asynchronously (FedAsync, or
/// FedBuff with <c>--buffer</c>) with the same clients slowed at random (<c>--slow</c>), and reports both final AUCs, the
/// wall time, the staleness of the updates the arbiter saw and how many it refused as staler than the bound.
/// </summary>
internal sealed class AsyncBenchOptions
{
    private readonly Option<string> _mode = new("--mode") { Description = "sync | async (FedAsync) | buffered (FedBuff)", DefaultValueFactory = _ => "sync" };
    private readonly Option<int> _slow = new("--slow") { Description = "Slow clients at random: up to this many ms per local update (0: none)", DefaultValueFactory = _ => 0 };
    private readonly Option<int> _bound = new("--staleness-bound") { Description = "Async: refuse updates more than this many versions old", DefaultValueFactory = _ => 5 };
    private readonly Option<string> _penalty = new("--staleness-penalty") { Description = "Async: constant | polynomial | hinge", DefaultValueFactory = _ => "polynomial" };
    private readonly Option<double> _alpha = new("--alpha") { Description = "FedAsync mixing weight α", DefaultValueFactory = _ => 0.6 };
    private readonly Option<int> _buffer = new("--buffer") { Description = "FedBuff: updates per aggregation K", DefaultValueFactory = _ => 3 };

    public AsyncBenchOptions() => _mode.AcceptOnlyFromAmong("sync", "async", "buffered");

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _mode, _slow, _bound, _penalty, _alpha, _buffer })
            command.Options.Add(option);
    }

    /// <summary>Null for a plain synchronous benchmark (no --mode async|buffered and no --slow).</summary>
    public AsyncBench? Read(ParseResult parse)
    {
        string mode = parse.GetValue(_mode)!;
        int slow = parse.GetValue(_slow);
        if (slow < 0)
            throw new ArgumentException($"--slow must be ≥ 0 ms; got {slow}.");
        if (mode == "sync" && slow == 0)
            return null;
        var penalty = parse.GetValue(_penalty) switch
        {
            "constant" => StalenessPenalty.Constant,
            "polynomial" => StalenessPenalty.Polynomial,
            "hinge" => StalenessPenalty.Hinge,
            var other => throw new ArgumentException($"--staleness-penalty must be constant, polynomial or hinge; got '{other}'."),
        };
        var settings = new AsyncSettings { StalenessBound = parse.GetValue(_bound), Penalty = penalty, Alpha = parse.GetValue(_alpha), Buffer = parse.GetValue(_buffer) };
        var kind = mode switch { "async" => HorizontalMode.FedAsync, "buffered" => HorizontalMode.FedBuff, _ => HorizontalMode.Sync };
        return new AsyncBench(kind, settings, slow);
    }
}

internal sealed class AsyncBench(HorizontalMode mode, AsyncSettings settings, int slowMilliseconds)
{
    /// <summary>
    /// Client i gets a seeded speed factor f_i in [0.1, 1] and waits slow·f_i·U(0.5, 1.5) ms before each local update, so
    /// some clients are several times slower than others and every update's delay varies.
    /// </summary>
    public Func<int, Func<int, CancellationToken, Task>?> Slowdown(int clients)
    {
        if (slowMilliseconds == 0)
            return _ => null;
        var factors = Enumerable.Range(0, clients).Select(i => 0.1 + 0.9 * new DeterministicRandom(42, 0x510 + i).NextDouble()).ToArray();
        return i =>
        {
            var random = new DeterministicRandom(43, 0x520 + i);
            return (_, ct) =>
            {
                double ms;
                lock (random)
                    ms = slowMilliseconds * factors[i] * (0.5 + random.NextDouble());
                return Task.Delay(TimeSpan.FromMilliseconds(ms), ct);
            };
        };
    }

    /// <summary>The parameters in this benchmark's mode (with --epsilon: the private runs are asynchronous too).</summary>
    public HorizontalParameters Apply(HorizontalParameters parameters) =>
        mode == HorizontalMode.Sync ? parameters : parameters with { Mode = mode, Async = settings };

    public async Task<Dictionary<string, object>> RunAsync(string method, HorizontalParameters parameters, Dataset all, Dataset[] parts,
        double central, TextWriter? progress, CancellationToken ct)
    {
        var slow = Slowdown(parts.Length);
        var sync = await BenchHorizontalCommand.RunMethodAsync(method, parameters, all, parts, central, null, ct, slow);
        progress?.WriteLine($"  {method} sync: final AUC {sync["final_auc"]:F5}, {sync["total_seconds"]} s");
        if (mode == HorizontalMode.Sync)
            return sync;
        var staleness = new List<int>();
        var perClient = new Dictionary<string, (int Applied, int Refused)>();
        void Record(string client, AsyncOutcome outcome)
        {
            staleness.Add(outcome.Staleness);
            var (applied, refused) = perClient.GetValueOrDefault(client);
            perClient[client] = outcome.Refused ? (applied, refused + 1) : (applied + 1, refused);
        }
        var asyncParameters = parameters with { Mode = mode, Async = settings };
        var result = await BenchHorizontalCommand.RunMethodAsync(method, asyncParameters, all, parts, central, null, ct, slow, Record);
        double syncAuc = (double)sync["final_auc"], asyncAuc = (double)result["final_auc"];
        string label = mode == HorizontalMode.FedAsync ? "fedasync" : $"fedbuff(K={settings.Buffer})";
        progress?.WriteLine($"  {method} {label}: final AUC {asyncAuc:F5} (Δ vs sync {asyncAuc - syncAuc:+0.00000;-0.00000}), {result["total_seconds"]} s; " +
            $"{staleness.Count} updates received, staleness mean {staleness.Average():F2} / max {staleness.Max()}, " +
            $"refused {result["refused_stale"]} (bound {settings.StalenessBound}); per client applied/refused " +
            string.Join(" ", perClient.OrderBy(p => p.Key.Length).ThenBy(p => p.Key).Select(p => $"{p.Key} {p.Value.Applied}/{p.Value.Refused}")));
        result["method"] = $"{method}+{label}";
        result["mode"] = label;
        result["slow_ms"] = slowMilliseconds;
        result["staleness_bound"] = settings.StalenessBound;
        result["staleness_penalty"] = settings.Penalty.ToString().ToLowerInvariant();
        result["alpha"] = settings.Alpha;
        result["model_versions"] = asyncParameters.AsyncVersions(parts.Length);
        result["updates_received"] = staleness.Count;
        result["staleness_mean"] = Math.Round(staleness.Average(), 3);
        result["staleness_max"] = staleness.Max();
        result["staleness_histogram"] = staleness.GroupBy(s => s).OrderBy(g => g.Key).ToDictionary(g => g.Key.ToString(), g => g.Count());
        result["per_client_applied_refused"] = perClient.OrderBy(p => p.Key.Length).ThenBy(p => p.Key).ToDictionary(p => p.Key, p => new[] { p.Value.Applied, p.Value.Refused });
        result["sync_final_auc"] = syncAuc;
        result["sync_total_seconds"] = sync["total_seconds"];
        result["auc_difference_vs_sync"] = Math.Round(asyncAuc - syncAuc, 5);
        return result;
    }
}
