using System.Text.Json;
using System.Text.Json.Serialization;
using VerticalFL.Ml.Data;
using VerticalFL.Party.Config;

namespace VerticalFL.Party.Jobs;

/// <summary>
/// What a job does, FATE-style: which data each party uses (by name, never by path), PSI settings and
/// training parameters. Submitted to the guest as YAML; sent to the other parties as JSON.
/// </summary>
public sealed class JobSpec
{
    public string Name { get; set; } = "job";

    /// <summary>
    /// <c>train</c> (default): PSI, training, evaluation. <c>predict</c>: PSI, then scoring with the models of
    /// <see cref="ModelJob"/>. <c>psi</c>: only the intersection (no arbiter needed). <c>horizontal</c>: every data
    /// party trains on its own rows, the arbiter aggregates (no PSI; <see cref="HorizontalSpec"/>).
    /// </summary>
    public string Kind { get; set; } = JobKinds.Train;

    /// <summary>For <c>predict</c> jobs: the training job whose model parts every party uses.</summary>
    public string ModelJob { get; set; } = "";

    /// <summary>
    /// For <c>train</c> jobs: an earlier job (that failed or was cancelled mid-training) whose last
    /// checkpoint every party continues from (<c>vfl job resume</c>).
    /// </summary>
    public string ResumeFrom { get; set; } = "";
    public PsiSpec Psi { get; set; } = new();
    public DataSpec Data { get; set; } = new();

    /// <summary>The arbiter's party id.</summary>
    public string Arbiter { get; set; } = "arbiter";

    /// <summary>
    /// Hetero LR parameters by their FATE names (epochs, batch_size, learning_rate, optimizer, …); nested maps as dotted
    /// names (<c>dp.epsilon</c>).
    /// </summary>
    public TrainingParameters Training { get; set; } = [];

    /// <summary>Probability at or above which a prediction is labelled 1.</summary>
    public double Threshold { get; set; } = 0.5;

    [JsonIgnore, YamlDotNet.Serialization.YamlIgnore]
    public IEnumerable<string> HostIds => Data.Hosts.Keys;

    public static JobSpec Load(string path)
    {
        var spec = YamlFile.Read<JobSpec>(path);
        spec.Validate(path);
        return spec;
    }

    public static JobSpec ParseYaml(string yaml, string source)
    {
        // A horizontal spec's data: section is a map party id → source, so it has a shape of its own; a horizontal spec
        // the CLI wrote as JSON (vfl job resume) is the proposal's shape.
        if (HorizontalSpec.IsHorizontal(yaml) && yaml.TrimStart().StartsWith('{'))
            return FromJson(yaml, source);
        var spec = HorizontalSpec.IsHorizontal(yaml) ? HorizontalSpec.Parse(yaml, source) : YamlFile.Parse<JobSpec>(yaml, source);
        spec.Validate(source);
        return spec;
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static JobSpec FromJson(string json, string source)
    {
        try
        {
            var spec = JsonSerializer.Deserialize<JobSpec>(json, JsonOptions) ?? throw new BadInputException($"{source}: empty job spec.");
            spec.Validate(source);
            return spec;
        }
        catch (JsonException e)
        {
            throw new BadInputException($"{source}: job spec is not valid JSON ({e.Message}).", e);
        }
    }

    /// <summary>
    /// A horizontal spec as the guest <paramref name="guest"/> runs it: its own source as <c>data.guest</c>, every other
    /// data party as a host, so the job's participants, admission and references are those of any job.
    /// </summary>
    public JobSpec ForGuest(string guest)
    {
        if (Kind != JobKinds.Horizontal)
            return this;
        if (!Data.Parties.TryGetValue(guest, out var source))
            throw new BadInputException($"data: names no data source for '{guest}', the guest submitting the job (parties: {string.Join(", ", Data.Parties.Keys)}); "
                + "the guest trains as one of the parties");
        Data.Guest = source;
        Data.Hosts = Data.Parties.Where(p => p.Key != guest).ToDictionary(p => p.Key, p => p.Value);
        return this;
    }

    private void Validate(string source)
    {
        void Require(bool ok, string problem)
        {
            if (!ok) throw new BadInputException($"{source}: {problem}.");
        }
        if (Kind == JobKinds.Horizontal)
        {
            ValidateHorizontal(Require);
            return;
        }
        Require(Data.Parties.Count == 0, "data.parties belongs to horizontal jobs (kind: horizontal)");
        Require(!string.IsNullOrWhiteSpace(Data.Guest), "data.guest (the guest's data source name) is required");
        Require(Data.Hosts.Count > 0, "data.hosts needs at least one host: party id → data source name");
        Require(Kind != JobKinds.Train || !string.IsNullOrWhiteSpace(Data.LabelColumn), "data.label_column is required for training");
        Require(!string.IsNullOrWhiteSpace(Psi.IdColumn), "psi.id_column is required");
        Require(Psi.Duplicates is DuplicatePolicy.Error or DuplicatePolicy.KeepFirst,
            $"psi.duplicates must be '{DuplicatePolicy.Error}' or '{DuplicatePolicy.KeepFirst}' (got '{Psi.Duplicates}')");
        Require(!JobKinds.NeedsArbiter(Kind) || !string.IsNullOrWhiteSpace(Arbiter), "arbiter (the arbiter's party id) is required");
        Require(Threshold is > 0 and < 1, $"threshold must be between 0 and 1 (got {Threshold})");
        Require(Kind is JobKinds.Train or JobKinds.Predict or JobKinds.Psi,
            $"kind must be '{JobKinds.Train}', '{JobKinds.Predict}', '{JobKinds.Psi}' or '{JobKinds.Horizontal}' (got '{Kind}')");
        Require(string.IsNullOrEmpty(ResumeFrom) || Kind == JobKinds.Train, "resume_from applies only to training jobs");
        Require(Kind != JobKinds.Predict || !string.IsNullOrWhiteSpace(ModelJob), "model_job (the training job whose models to use) is required for predict jobs");
    }

    private void ValidateHorizontal(Action<bool, string> require)
    {
        require(Data.Parties.Count >= 2, "data needs at least two data parties (party id: data source name) for a horizontal job");
        require(Data.Parties.All(p => !string.IsNullOrWhiteSpace(p.Key) && !string.IsNullOrWhiteSpace(p.Value)), "data: every party needs a data source name");
        require(!Data.Parties.ContainsKey(Arbiter), $"data: '{Arbiter}' is the aggregator and holds no data");
        require(!string.IsNullOrWhiteSpace(Data.LabelColumn), "label_column is required");
        require(!string.IsNullOrWhiteSpace(Arbiter), "aggregator (the arbiter's party id) is required");
        require(string.IsNullOrEmpty(ModelJob), "model_job does not apply to horizontal jobs (score a file with vfl predict --model)");
        // Resolved by the guest (ForGuest): the guest and hosts are the data parties.
        require(string.IsNullOrEmpty(Data.Guest) || Data.Hosts.Count == Data.Parties.Count - 1 && Data.Hosts.All(h => Data.Parties.ContainsKey(h.Key)),
            "data.hosts must be the data parties other than the guest");
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}

public static class JobKinds
{
    public const string Train = "train";
    public const string Predict = "predict";
    public const string Psi = "psi";
    public const string Horizontal = "horizontal";

    /// <summary>Jobs that train a model (and so have checkpoints a later job may resume from).</summary>
    public static bool Trains(string kind) => kind is Train or Horizontal;

    /// <summary>Only training decrypts, so only training jobs have an arbiter among their participants.</summary>
    public static bool NeedsArbiter(string kind) => kind is not (Predict or Psi);
}

public sealed class PsiSpec
{
    public string IdColumn { get; set; } = "id";

    /// <summary><c>error</c> (default): duplicate ids are refused; <c>keep_first</c>: later duplicates are dropped.</summary>
    public string Duplicates { get; set; } = DuplicatePolicy.Error;
}

public static class DuplicatePolicy
{
    public const string Error = "error";
    public const string KeepFirst = "keep_first";
}

public sealed class DataSpec
{
    /// <summary>The guest's data source name (a key of the guest config's <c>data</c> section).</summary>
    public string Guest { get; set; } = "";

    public string LabelColumn { get; set; } = "y";

    /// <summary>Host party id → that host's data source name.</summary>
    public Dictionary<string, string> Hosts { get; set; } = [];

    /// <summary>Horizontal jobs: every data party (guest and hosts) → its data source name (the YAML's whole data: map).</summary>
    [JsonIgnore, YamlDotNet.Serialization.YamlIgnore]
    public Dictionary<string, string> Parties { get; set; } = [];

    /// <summary><see cref="Parties"/> in JSON, absent for other jobs (so a vertical spec's JSON reads back as YAML too: vfl job resume).</summary>
    [JsonPropertyName("parties"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), YamlDotNet.Serialization.YamlIgnore]
    public Dictionary<string, string>? PartiesJson
    {
        get => Parties.Count == 0 ? null : Parties;
        set => Parties = value ?? [];
    }
}
