using System.Text.Json;
using VerticalFL.Party.Jobs;
using VerticalFL.Protocol.Training;
using VerticalFL.Crypto.Io;

namespace VerticalFL.Guest;

/// <summary>The guest's summary of a finished job: what an operator may learn (no other party's weights).</summary>
public sealed record JobOutcome
{
    public long Intersection { get; init; }
    public int Epochs { get; init; }
    public IReadOnlyList<double> LossHistory { get; init; } = [];
    /// <summary>NaN where not computed (PSI-only jobs, predictions without labels).</summary>
    public double Auc { get; init; } = double.NaN;
    public double Ks { get; init; } = double.NaN;
    public double Accuracy { get; init; } = double.NaN;
    public double PsiSeconds { get; init; }
    public double TrainSeconds { get; init; }
    public double SecondsPerEpoch { get; init; }
    public long BytesSent { get; init; }
    public string ModelPath { get; init; } = "";
    public string PredictionsPath { get; init; } = "";
    /// <summary>Label DP's account for the epochs run; null when the job has no <c>training.dp</c>.</summary>
    public LabelDpReport? LabelDp { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public void Save(JobWorkspace workspace)
    {
        AtomicFile.Write(workspace.Report, JsonSerializer.SerializeToUtf8Bytes(this, Json), isPrivate: true);
    }

    public static JobOutcome? Load(JobWorkspace workspace) =>
        File.Exists(workspace.Report) ? JsonSerializer.Deserialize<JobOutcome>(File.ReadAllText(workspace.Report), Json) : null;
}
