using VerticalFL.Ml.Preprocessing;

namespace VerticalFL.Protocol.Models;

/// <summary>What a model part records about the job that trained it.</summary>
public sealed record ModelMetadata(
    string JobId, string Guest, IReadOnlyList<string> Hosts, string Arbiter, string ParametersJson, int EpochsRun, bool Converged,
    DateTimeOffset CreatedUtc);

/// <summary>
/// The guest's own part of a hetero LR model: its feature weights, the intercept, its scaler and the
/// job's metadata. Never any host's weights.
/// </summary>
public sealed record GuestModelPart(
    IReadOnlyList<string> FeatureNames, double[] Weights, double Intercept, StandardScaler Scaler, ModelMetadata Metadata)
{
    public const string FormatName = "vfl.hetero_lr.guest";
}

/// <summary>A host's own part of a hetero LR model: only its weights and its scaler.</summary>
public sealed record HostModelPart(
    IReadOnlyList<string> FeatureNames, double[] Weights, StandardScaler Scaler, string JobId, string Guest, DateTimeOffset CreatedUtc)
{
    public const string FormatName = "vfl.hetero_lr.host";
}
