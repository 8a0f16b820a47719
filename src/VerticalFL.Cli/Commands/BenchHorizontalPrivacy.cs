using System.CommandLine;
using System.Globalization;
using VerticalFL.Ml.Data;
using VerticalFL.Protocol.Horizontal;
using VerticalFL.Protocol.Horizontal.Privacy;

namespace VerticalFL.Cli.Commands;

/// <summary>
/// <c>vfl bench horizontal --epsilon 1,4,8</c>: each method runs without privacy and then once per ε with differential
/// privacy (record-level DP-SGD by default, <c>--privacy-level client</c> for DP-FedAvg; <c>--noise laplace</c> for pure ε),
/// reporting the final AUC against the non-private run, the ε the accountant reports after the last round and the noise
/// multipliers the calibration chose.
/// </summary>
internal sealed class PrivacyBenchOptions
{
    private readonly Option<string> _epsilon = new("--epsilon") { Description = "Comma list of ε budgets to run with differential privacy (e.g. 1,4,8)", DefaultValueFactory = _ => "" };
    private readonly Option<double> _delta = new("--delta") { Description = "δ of (ε, δ)-DP", DefaultValueFactory = _ => 1e-5 };
    private readonly Option<string> _level = new("--privacy-level") { Description = "record (DP-SGD at each client) | client (DP-FedAvg)", DefaultValueFactory = _ => "record" };
    private readonly Option<string> _noise = new("--noise") { Description = "gaussian | laplace", DefaultValueFactory = _ => "gaussian" };
    private readonly Option<double> _clip = new("--clipping-norm") { Description = "Clipping norm C", DefaultValueFactory = _ => 1.0 };
    private readonly Option<int> _repeats = new("--dp-repeats") { Description = "Private runs per ε (the noise differs each run): mean and spread of the AUC", DefaultValueFactory = _ => 1 };

    public PrivacyBenchOptions()
    {
        _level.AcceptOnlyFromAmong("record", "client");
        _noise.AcceptOnlyFromAmong("gaussian", "laplace");
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _epsilon, _delta, _level, _noise, _clip, _repeats })
            command.Options.Add(option);
    }

    /// <summary>Null when no --epsilon was given.</summary>
    public PrivacyBench? Read(ParseResult parse)
    {
        string text = parse.GetValue(_epsilon)!;
        if (text.Length == 0)
            return null;
        var budgets = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(e =>
            double.TryParse(e, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v > 0 && double.IsFinite(v)
                ? v : throw new ArgumentException($"--epsilon must be a comma list of positive numbers; got '{e}' in '{text}'.")).ToArray();
        var settings = new PrivacySettings
        {
            Delta = parse.GetValue(_delta),
            Level = parse.GetValue(_level) == "client" ? PrivacyLevel.Client : PrivacyLevel.Record,
            Noise = parse.GetValue(_noise) == "laplace" ? PrivacyNoise.Laplace : PrivacyNoise.Gaussian,
            ClippingNorm = parse.GetValue(_clip),
        };
        int repeats = parse.GetValue(_repeats);
        if (repeats < 1)
            throw new ArgumentException($"--dp-repeats must be at least 1; got {repeats}.");
        return new PrivacyBench(budgets, settings, repeats);
    }
}

internal sealed class PrivacyBench(double[] budgets, PrivacySettings settings, int repeats)
{
    public async Task<List<Dictionary<string, object>>> RunAsync(string method, HorizontalParameters parameters, Dataset all, Dataset[] parts,
        double central, TextWriter? progress, CancellationToken ct, Func<int, Func<int, CancellationToken, Task>?>? slow = null)
    {
        var plain = await BenchHorizontalCommand.RunMethodAsync(method, parameters, all, parts, central, null, ct, slow);
        double plainAuc = (double)plain["final_auc"];
        progress?.WriteLine($"  {method} without privacy: final AUC {plainAuc:F5}, {plain["total_seconds"]} s");
        plain["epsilon"] = "none";
        var results = new List<Dictionary<string, object>> { plain };
        foreach (double epsilon in budgets)
        {
            var privateParameters = parameters with { Privacy = settings with { Epsilon = epsilon } };
            var plan = PrivacyPlan.For(privateParameters, parts.Select(p => (long)p.Rows).ToArray());
            var runs = new List<Dictionary<string, object>>();
            for (int r = 0; r < repeats; r++)
                runs.Add(await BenchHorizontalCommand.RunMethodAsync(method, privateParameters, all, parts, central, null, ct, slow));
            var aucs = runs.Select(x => (double)x["final_auc"]).ToArray();
            double auc = aucs.Average();
            double spread = aucs.Length > 1 ? Math.Sqrt(aucs.Sum(a => (a - auc) * (a - auc)) / (aucs.Length - 1)) : 0;
            var result = runs[^1];
            result["final_auc"] = Math.Round(auc, 5);
            result["final_auc_runs"] = aucs;
            result["final_auc_sd"] = Math.Round(spread, 5);
            result["auc_difference"] = Math.Round(auc - central, 5);
            var spent = (double[])result["epsilon_by_round"];
            string noise = settings.Noise == PrivacyNoise.Gaussian
                ? "z " + string.Join("/", plan.Clients.Select(c => c.NoiseMultiplier.ToString("F3", CultureInfo.InvariantCulture)))
                : "step ε₀ " + string.Join("/", plan.Clients.Select(c => c.StepEpsilon.ToString("G3", CultureInfo.InvariantCulture)));
            progress?.WriteLine($"  {method}{(parameters.Mode == HorizontalMode.Sync ? "" : $" {parameters.Mode.ToString().ToLowerInvariant()}")} ε = {epsilon}: final AUC {auc:F5}" + (repeats > 1 ? $" ± {spread:F5} (mean ± sd of {repeats} runs)" : "") + $" (Δ vs non-private {auc - plainAuc:+0.00000;-0.00000}), ε spent " +
                $"{spent[^1]:F4} at δ {settings.Delta:G3}; {noise}; q {string.Join("/", plan.Clients.Select(c => c.SamplingRate.ToString("G3", CultureInfo.InvariantCulture)))}, " +
                $"{plan.Clients[0].StepsPerRound * parameters.Rounds} steps (client 1); {result["total_seconds"]} s");
            result["method"] = $"{method}+dp(ε={epsilon})";
            result["epsilon"] = epsilon;
            result["mode"] = parameters.Mode.ToString().ToLowerInvariant();
            result["delta"] = settings.Delta;
            result["privacy_level"] = settings.Level.ToString().ToLowerInvariant();
            result["noise"] = settings.Noise.ToString().ToLowerInvariant();
            result["clipping_norm"] = settings.ClippingNorm;
            result["noise_multipliers"] = plan.Clients.Select(c => Math.Round(c.NoiseMultiplier, 4)).ToArray();
            result["non_private_auc"] = plainAuc;
            result["auc_difference_vs_non_private"] = Math.Round(auc - plainAuc, 5);
            results.Add(result);
        }
        return results;
    }
}
