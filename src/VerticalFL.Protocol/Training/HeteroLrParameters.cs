using System.Text.Json;
using System.Text.Json.Serialization;
using VerticalFL.Crypto.Paillier;
using VerticalFL.Ml.Optimization;
using VerticalFL.Ml.Training;

namespace VerticalFL.Protocol.Training;

/// <summary>How gradients reach the optimiser.</summary>
public enum GradientMode
{
    /// <summary>Each party masks its encrypted gradient; the arbiter only ever sees g + r. Default.</summary>
    Masked,
    /// <summary>FATE's way: the arbiter decrypts real gradients and runs every party's optimiser.</summary>
    ArbiterSteps,
}

/// <summary>
/// A hetero LR job's parameters, named as FATE users expect (JSON: snake_case, e.g. "max_iter",
/// "batch_size", "optimizer": "rmsprop"). The training fields (epochs, batch size, optimiser, penalty, decay,
/// init, early stopping) are <see cref="LrSettings"/>'s, so the plaintext reference trains with this very object;
/// the rest is what federation adds. Every party runs with the same copy. <see cref="Validate"/> names the first
/// bad parameter.
/// </summary>
public sealed record HeteroLrParameters : LrSettings
{
    /// <summary>FATE's name for <see cref="LrSettings.Epochs"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxIter { get => null; init { if (value is { } v) Epochs = v; } }
    /// <summary>Each party standardises its own features with a scaler fitted on its training rows.</summary>
    public bool Standardize { get; init; } = true;
    /// <summary>Validate every this many epochs when a validation set is given; 0 = never.</summary>
    public int ValidationFreq { get; init; } = 1;
    /// <summary>Fixed-point fractional bits of encrypted values (scores, residuals).</summary>
    public int ValueBits { get; init; } = 24;
    /// <summary>Fractional bits of the 16-bit quantised standardised features (range ±32 at 10 bits).</summary>
    public int FeatureBits { get; init; } = 10;
    public int KeyBits { get; init; } = 2048;
    public GradientMode GradientMode { get; init; } = GradientMode.Masked;
    public EncryptionMode EncryptionMode { get; init; } = EncryptionMode.FixedBase;
    /// <summary>The homomorphic scheme of the job (docs/protocol/hetero-lr-ckks.md for CKKS). Default Paillier.</summary>
    public EncryptionScheme Encryption { get; init; } = EncryptionScheme.Paillier;
    /// <summary>
    /// Unset shuffle means fixed batches under CKKS (each party encodes its columns once per job) and per-epoch row
    /// reshuffling under Paillier (FATE's way).
    /// </summary>
    [JsonIgnore]
    public override BatchShuffle EffectiveShuffle => Shuffle ?? (Encryption == EncryptionScheme.Ckks ? BatchShuffle.Batches : BatchShuffle.Rows);
    /// <summary>CKKS: the most flooded releases the job's key may make (τ ceiling); a job that needs more is refused.</summary>
    public long CkksMaxReleases { get; init; } = CkksDefaults.MaxReleases;
    /// <summary>CKKS: log₂ of the declared noise bound t of each released value (see docs/protocol/ckks.md).</summary>
    public int CkksNoiseBits { get; init; } = CkksDefaults.NoiseBits;
    /// <summary>Compute the exact Taylor loss each batch (one host only; needs no extra rounds with the hosts).</summary>
    public bool ComputeLoss { get; init; } = true;
    /// <summary>Optional label differential privacy (<see cref="LabelDp"/>); null = off.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LabelDpSettings? Dp { get; init; }

    /// <summary>
    /// The smallest arbiter key the data parties accept: <see cref="KeyBits"/>, lowered only by tests that
    /// run with a 1024-bit test-only key. Not a job parameter (internal, never serialised).
    /// </summary>
    internal int AcceptedKeyBits { get => _acceptedKeyBits ?? KeyBits; init => _acceptedKeyBits = value; }
    private readonly int? _acceptedKeyBits;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad parameter (FATE name).</summary>
    public HeteroLrParameters Validate(int hostCount = 1)
    {
        Require(Epochs >= 1, "max_iter", $"must be ≥ 1, got {Epochs}");
        Require(BatchSize == -1 || BatchSize >= 1, "batch_size", $"must be −1 (full batch) or ≥ 1, got {BatchSize}");
        Require(double.IsFinite(LearningRate) && LearningRate > 0, "learning_rate", $"must be > 0, got {LearningRate}");
        Require(double.IsFinite(Alpha) && Alpha >= 0, "alpha", $"must be ≥ 0, got {Alpha}");
        Require(double.IsFinite(DecayRate) && DecayRate > 0, "decay_rate", $"must be > 0, got {DecayRate}");
        Require(DecaySteps >= 1, "decay_steps", $"must be ≥ 1, got {DecaySteps}");
        Require(double.IsFinite(Tol), "tol", $"must be a number, got {Tol}");
        Require(ValidationFreq >= 0, "validation_freq", $"must be ≥ 0, got {ValidationFreq}");
        Require(ValueBits is >= 8 and <= 40, "value_bits", $"must be in 8..40, got {ValueBits}");
        Require(FeatureBits is >= 4 and <= 13, "feature_bits", $"must be in 4..13 (16-bit features need range ≥ ±2), got {FeatureBits}");
        Require(KeyBits is 2048 or 3072, "key_bits", $"must be 2048 or 3072, got {KeyBits}");
        Require(Enum.IsDefined(Optimizer), "optimizer", $"unknown value {Optimizer}");
        Require(Enum.IsDefined(Penalty), "penalty", $"unknown value {Penalty}");
        Require(Enum.IsDefined(Encryption), "encryption", $"unknown value {Encryption}");
        Require(Shuffle is null || Enum.IsDefined(Shuffle.Value), "shuffle", $"unknown value {Shuffle}");
        Require(Encryption != EncryptionScheme.Ckks || GradientMode == GradientMode.Masked, "gradient_mode",
            "encryption ckks supports only masked (the arbiter never sees a CKKS gradient)");
        Require(CkksMaxReleases >= 1, "ckks_max_releases", $"must be ≥ 1, got {CkksMaxReleases}");
        Require(CkksNoiseBits is >= 0 and <= 70, "ckks_noise_bits", $"must be in 0..70, got {CkksNoiseBits}");
        if (Dp is { } dp)
        {
            if (LabelDp.Problem(dp, Epochs) is { } problem)
                throw new ArgumentException($"{problem.Key}: {problem.Problem}.", problem.Key);
            Require(Encryption != EncryptionScheme.Ckks, "encryption", "ckks cannot be combined with dp (label DP is implemented for paillier only)");
            Require(EarlyStop == EarlyStopKind.WeightDiff, "early_stop",
                $"with dp must be weight_diff, got {JsonNamingPolicy.SnakeCaseLower.ConvertName(EarlyStop.ToString())} (diff and abs stop on the loss, " +
                "which uses the true labels and would reach the hosts as the stop decision, outside the ε accounting)");
        }
        Require(hostCount >= 1, "hosts", "a job needs at least one host");
        Require(hostCount == 1 || EarlyStop == EarlyStopKind.WeightDiff, "early_stop",
            $"with {hostCount} hosts the loss is not computed; use weight_diff");
        return this;
    }

    /// <summary>Whether this job computes the loss: asked for and exactly one host.</summary>
    internal bool LossComputed(int hostCount) => ComputeLoss && hostCount == 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Parses FATE-style JSON ({"max_iter": 20, "optimizer": "rmsprop", …}); unknown names are refused.</summary>
    public static HeteroLrParameters FromJson(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<HeteroLrParameters>(json, Json) ?? throw new ArgumentException("parameters: empty JSON.");
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"parameters: {e.Message}", e);
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    private static void Require(bool ok, string name, string problem)
    {
        if (!ok)
            throw new ArgumentException($"{name}: {problem}.", name);
    }
}
