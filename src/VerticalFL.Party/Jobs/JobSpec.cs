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
    /// <see cref="ModelJob"/>. <c>psi</c>: only the intersection (no arbiter needed).
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

    /// <summary>Hetero LR parameters by their FATE names (epochs, batch_size, learning_rate, optimizer, …).</summary>
    public Dictionary<string, string> Training { get; set; } = [];

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
        var spec = YamlFile.Parse<JobSpec>(yaml, source);
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

    private void Validate(string source)
    {
        void Require(bool ok, string problem)
        {
            if (!ok) throw new BadInputException($"{source}: {problem}.");
        }
        Require(!string.IsNullOrWhiteSpace(Data.Guest), "data.guest (the guest's data source name) is required");
        Require(Data.Hosts.Count > 0, "data.hosts needs at least one host: party id → data source name");
        Require(Kind != JobKinds.Train || !string.IsNullOrWhiteSpace(Data.LabelColumn), "data.label_column is required for training");
        Require(!string.IsNullOrWhiteSpace(Psi.IdColumn), "psi.id_column is required");
        Require(Psi.Duplicates is DuplicatePolicy.Error or DuplicatePolicy.KeepFirst,
            $"psi.duplicates must be '{DuplicatePolicy.Error}' or '{DuplicatePolicy.KeepFirst}' (got '{Psi.Duplicates}')");
        Require(!JobKinds.NeedsArbiter(Kind) || !string.IsNullOrWhiteSpace(Arbiter), "arbiter (the arbiter's party id) is required");
        Require(Threshold is > 0 and < 1, $"threshold must be between 0 and 1 (got {Threshold})");
        Require(Kind is JobKinds.Train or JobKinds.Predict or JobKinds.Psi,
            $"kind must be '{JobKinds.Train}', '{JobKinds.Predict}' or '{JobKinds.Psi}' (got '{Kind}')");
        Require(string.IsNullOrEmpty(ResumeFrom) || Kind == JobKinds.Train, "resume_from applies only to training jobs");
        Require(Kind != JobKinds.Predict || !string.IsNullOrWhiteSpace(ModelJob), "model_job (the training job whose models to use) is required for predict jobs");
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
}
