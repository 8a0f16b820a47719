using System.Globalization;
using VerticalFL.Ml.Data;
using VerticalFL.Ml.Optimization;
using VerticalFL.Party.Config;
using VerticalFL.Protocol.Horizontal;
using YamlDotNet.RepresentationModel;

namespace VerticalFL.Party.Jobs;

/// <summary>
/// A <c>kind: horizontal</c> job spec (docs/protocol/horizontal.md): <c>data:</c> maps every data party to its source,
/// <c>aggregator:</c> names the arbiter, <c>training:</c> holds the horizontal parameters (<see cref="HorizontalTraining"/>).
/// Read into the one <see cref="JobSpec"/> every job has, with <see cref="DataSpec.Parties"/>.
/// </summary>
public static class HorizontalSpec
{
    /// <summary>True when the document's top-level <c>kind</c> is <c>horizontal</c>.</summary>
    public static bool IsHorizontal(string yaml)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            return stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode root
                && root.Children.TryGetValue(new YamlScalarNode("kind"), out var kind)
                && kind is YamlScalarNode { Value: JobKinds.Horizontal };
        }
        catch (YamlDotNet.Core.YamlException)
        {
            return false;   // the full parse reports the syntax error with its position
        }
    }

    public static JobSpec Parse(string yaml, string source)
    {
        var written = YamlFile.Parse<Document>(yaml, source);
        if (!string.IsNullOrEmpty(written.Aggregator) && !string.IsNullOrEmpty(written.Arbiter) && written.Aggregator != written.Arbiter)
            throw new BadInputException($"{source}: aggregator '{written.Aggregator}' and arbiter '{written.Arbiter}' differ; write one of them.");
        return new JobSpec
        {
            Name = written.Name,
            Kind = JobKinds.Horizontal,
            ResumeFrom = written.ResumeFrom,
            Psi = new PsiSpec { IdColumn = written.IdColumn },
            Data = new DataSpec { LabelColumn = written.LabelColumn, Parties = new Dictionary<string, string>(written.Data, StringComparer.Ordinal) },
            Arbiter = string.IsNullOrEmpty(written.Aggregator) ? string.IsNullOrEmpty(written.Arbiter) ? "arbiter" : written.Arbiter : written.Aggregator,
            Training = written.Training,
        };
    }

    /// <summary>The keys a horizontal spec has (unknown ones are named with these as the allowed keys).</summary>
    private sealed class Document
    {
        public string Name { get; set; } = "job";
        public string Kind { get; set; } = JobKinds.Horizontal;

        /// <summary>Party id → data source name (a key of that party's config <c>data</c> section).</summary>
        public Dictionary<string, string> Data { get; set; } = [];

        /// <summary>The label column in every party's file.</summary>
        public string LabelColumn { get; set; } = "y";

        /// <summary>The row id column in every party's file (not a feature; never leaves the party).</summary>
        public string IdColumn { get; set; } = "id";

        /// <summary>The arbiter's party id: it aggregates and holds the global model.</summary>
        public string Aggregator { get; set; } = "";

        /// <summary>Same as <see cref="Aggregator"/> (the vertical specs' name).</summary>
        public string Arbiter { get; set; } = "";

        public string ResumeFrom { get; set; } = "";
        public TrainingParameters Training { get; set; } = [];
    }
}

/// <summary>
/// The <c>training:</c> section of a horizontal job: its keys, their values, and the typed
/// <see cref="HorizontalParameters"/> they make. A bad value throws <see cref="BadInputException"/> whose inner
/// <see cref="ArgumentException"/> names the key as written (for <see cref="JobSpecCheck"/>'s file:line:column).
/// </summary>
public static class HorizontalTraining
{
    /// <summary>Key → (value kind, allowed words for word-valued keys).</summary>
    public static IReadOnlyDictionary<string, (Type Type, string[]? Allowed)> Keys { get; } = new Dictionary<string, (Type, string[]?)>(StringComparer.Ordinal)
    {
        ["model"] = (typeof(string), ["logistic", "mlp"]),
        ["model.mlp.hidden"] = (typeof(int[]), null),
        ["rounds"] = (typeof(int), null),
        ["epochs_per_round"] = (typeof(int), null),
        ["batch_size"] = (typeof(int), null),
        ["learning_rate"] = (typeof(double), null),
        ["optimizer"] = (typeof(string), Words<OptimizerKind>()),
        ["aggregation.method"] = (typeof(string), ["fedavg", "fedprox", "fednova", "fedopt"]),
        ["aggregation.mu"] = (typeof(double), null),
        ["aggregation.server_optimizer"] = (typeof(string), Words<ServerOptimizer>()),
        ["aggregation.server_learning_rate"] = (typeof(double), null),
        ["aggregation.tau"] = (typeof(double), null),
        ["aggregation.beta1"] = (typeof(double), null),
        ["aggregation.beta2"] = (typeof(double), null),
        ["mode"] = (typeof(string), ["sync", "async"]),
        ["mode.async.method"] = (typeof(string), ["fedasync", "fedbuff"]),
        ["mode.async.staleness_bound"] = (typeof(int), null),
        ["mode.async.staleness_penalty"] = (typeof(string), Words<StalenessPenalty>()),
        ["mode.async.alpha"] = (typeof(double), null),
        ["mode.async.buffer"] = (typeof(int), null),
        ["mode.async.updates"] = (typeof(int), null),
        ["min_participants"] = (typeof(int), null),
        ["max_participants"] = (typeof(int), null),
        ["round_deadline_seconds"] = (typeof(double), null),
        ["validation_fraction"] = (typeof(double), null),
        ["seed"] = (typeof(long), null),
    };

    /// <summary>What is wrong with <paramref name="value"/> for <paramref name="key"/>, or null (the key is known).</summary>
    public static string? ValueProblem(string key, string value)
    {
        var (type, allowed) = Keys[key];
        var invariant = CultureInfo.InvariantCulture;
        if (allowed is not null)
            return allowed.Contains(value, StringComparer.OrdinalIgnoreCase) ? null
                : $"'{value}' is not allowed;{Suggestions.DidYouMean(value, allowed)} Allowed: {string.Join(", ", allowed)}";
        if (type == typeof(int))
            return int.TryParse(value, NumberStyles.Integer, invariant, out _) ? null : $"'{value}' is not a whole number";
        if (type == typeof(long))
            return long.TryParse(value, NumberStyles.Integer, invariant, out _) ? null : $"'{value}' is not a whole number";
        if (type == typeof(double))
            return double.TryParse(value, NumberStyles.Float, invariant, out _) ? null : $"'{value}' is not a number";
        if (type == typeof(int[]))
            return List(value) is null ? $"'{value}' is not a list of whole numbers (e.g. [32] or [32, 16])" : null;
        return null;
    }

    /// <summary>The job's parameters; every key must be known and every value well-formed (checked first by <see cref="JobSpecCheck"/>).</summary>
    public static HorizontalParameters Parameters(JobSpec spec)
    {
        var t = spec.Training;
        try
        {
            foreach (var (key, value) in t)
            {
                if (!Keys.ContainsKey(key))
                    throw new ArgumentException($"{key}: unknown parameter;{Suggestions.DidYouMean(key, Keys.Keys)} Allowed: {string.Join(", ", Keys.Keys)}.", key);
                if (ValueProblem(key, value) is { } problem)
                    throw new ArgumentException($"{key}: {problem}.", key);
            }
            var parameters = new HorizontalParameters
            {
                Hidden = Hidden(t),
                Rounds = Int(t, "rounds", 20),
                EpochsPerRound = Int(t, "epochs_per_round", 1),
                BatchSize = Int(t, "batch_size", 64),
                LearningRate = Double(t, "learning_rate", 0.05),
                Optimizer = Enum(t, "optimizer", OptimizerKind.Sgd),
                Aggregation = new AggregationSettings
                {
                    Method = Enum(t, "aggregation.method", AggregationMethod.FedAvg),
                    Mu = Double(t, "aggregation.mu", 0.01),
                    ServerOptimizer = Enum(t, "aggregation.server_optimizer", ServerOptimizer.Adam),
                    ServerLearningRate = Double(t, "aggregation.server_learning_rate", 0.1),
                    Tau = Double(t, "aggregation.tau", 1e-3),
                    Beta1 = Double(t, "aggregation.beta1", 0.9),
                    Beta2 = Double(t, "aggregation.beta2", 0.99),
                },
                Mode = Mode(t),
                Async = new AsyncSettings
                {
                    StalenessBound = Int(t, "mode.async.staleness_bound", 5),
                    Penalty = Enum(t, "mode.async.staleness_penalty", StalenessPenalty.Polynomial),
                    Alpha = Double(t, "mode.async.alpha", 0.6),
                    Buffer = Int(t, "mode.async.buffer", 3),
                    Updates = Int(t, "mode.async.updates", 0),   // 0: rounds × clients
                },
                MinParticipants = Int(t, "min_participants", 2),
                MaxParticipants = Int(t, "max_participants", 0),
                RoundDeadline = TimeSpan.FromSeconds(Double(t, "round_deadline_seconds", 120)),
                ValidationFraction = Double(t, "validation_fraction", 0.2),
                Seed = t.TryGetValue("seed", out var seed) ? long.Parse(seed, CultureInfo.InvariantCulture) : 42,
            };
            parameters.Validate();
            int parties = spec.Data.Parties.Count;
            if (parameters.MinParticipants > parties)
                throw new ArgumentException($"min_participants: the job has {parties} data parties; got {parameters.MinParticipants}.", "min_participants");
            return parameters;
        }
        catch (ArgumentException e)
        {
            string key = WrittenKey(t, e.ParamName);
            string message = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "");
            if (e.ParamName is not null && message.StartsWith(e.ParamName + ": ", StringComparison.Ordinal)) message = message[(e.ParamName.Length + 2)..];
            throw new BadInputException($"job '{spec.Name}': training.{key}: {message.TrimEnd('.')}.", new ArgumentException(message, key));
        }
    }

    /// <summary>HorizontalParameters names a few settings differently from the spec (model.hidden, mode.staleness_bound).</summary>
    private static string WrittenKey(TrainingParameters t, string? name) => name switch
    {
        null => "",
        "model.hidden" => t.ContainsKey("model.mlp.hidden") ? "model.mlp.hidden" : "model",
        _ when name.StartsWith("mode.", StringComparison.Ordinal) && !name.StartsWith("mode.async.", StringComparison.Ordinal) => "mode.async." + name[5..],
        _ => name,
    };

    private static IReadOnlyList<int> Hidden(TrainingParameters t)
    {
        string model = t.GetValueOrDefault("model", t.ContainsKey("model.mlp.hidden") ? "mlp" : "logistic").ToLowerInvariant();
        if (model == "logistic")
            return t.ContainsKey("model.mlp.hidden")
                ? throw new ArgumentException("model: 'logistic' has no hidden layers; remove model.mlp.hidden or write model: { mlp: { hidden: [32] } }.", "model")
                : [];
        return t.TryGetValue("model.mlp.hidden", out var hidden) ? List(hidden)! : [32];
    }

    private static HorizontalMode Mode(TrainingParameters t)
    {
        bool async = t.GetValueOrDefault("mode", "sync").Equals("async", StringComparison.OrdinalIgnoreCase)
            || t.Keys.Any(k => k.StartsWith("mode.async.", StringComparison.Ordinal));
        if (!async)
            return HorizontalMode.Sync;
        string method = t.GetValueOrDefault("mode.async.method", t.ContainsKey("mode.async.buffer") ? "fedbuff" : "fedasync");
        return method.Equals("fedbuff", StringComparison.OrdinalIgnoreCase) ? HorizontalMode.FedBuff : HorizontalMode.FedAsync;
    }

    /// <summary>"[32, 16]", "32,16" or "32" as whole numbers, or null.</summary>
    internal static List<int>? List(string value)
    {
        var parts = value.Trim().TrimStart('[').TrimEnd(']').Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var numbers = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n)) return null;
            numbers.Add(n);
        }
        return numbers;
    }

    private static int Int(TrainingParameters t, string key, int fallback) =>
        t.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    private static double Double(TrainingParameters t, string key, double fallback) =>
        t.TryGetValue(key, out var v) ? double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture) : fallback;

    private static T Enum<T>(TrainingParameters t, string key, T fallback) where T : struct, System.Enum =>
        t.TryGetValue(key, out var v) ? System.Enum.Parse<T>(v.Replace("_", ""), ignoreCase: true) : fallback;

    private static string[] Words<T>() where T : struct, System.Enum =>
        System.Enum.GetNames<T>().Select(n => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(n)).ToArray();
}
