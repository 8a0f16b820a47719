using System.Text.Json.Serialization;
using VerticalFL.Ml.Optimization;

namespace VerticalFL.Ml.Training;

/// <summary>
/// How a logistic regression is trained, independent of who holds which columns. Federated jobs extend it
/// (Protocol's HeteroLrParameters), so the plaintext reference and the federated trainers read the same fields.
/// </summary>
public record LrSettings
{
    public int Epochs { get; init; } = 10;
    /// <summary>Rows per mini-batch, or −1 for the full batch.</summary>
    public int BatchSize { get; init; } = -1;
    public double LearningRate { get; init; } = 0.15;
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Rmsprop;
    public PenaltyKind Penalty { get; init; } = PenaltyKind.L2;
    public double Alpha { get; init; } = 0.01;
    public DecayKind Decay { get; init; } = DecayKind.Constant;
    /// <summary>γ of step / inverse-sqrt decay.</summary>
    public double DecayRate { get; init; } = 0.5;
    /// <summary>Epochs per step of step decay.</summary>
    public int DecaySteps { get; init; } = 10;
    public InitKind Init { get; init; } = InitKind.Zeros;
    public long Seed { get; init; } = 42;
    public bool FitIntercept { get; init; } = true;
    public EarlyStopKind EarlyStop { get; init; } = EarlyStopKind.Diff;
    public double Tol { get; init; } = 1e-4;
    /// <summary>
    /// rows (reshuffle every epoch) or batches (fixed batches, new order each epoch); unset means
    /// <see cref="EffectiveShuffle"/>'s default.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BatchShuffle? Shuffle { get; init; }

    /// <summary><see cref="Shuffle"/>, or the default when unset (rows here; a federated job may choose by scheme).</summary>
    [JsonIgnore]
    public virtual BatchShuffle EffectiveShuffle => Shuffle ?? BatchShuffle.Rows;

    /// <summary>The batch schedule these settings give over <paramref name="rows"/> rows.</summary>
    public BatchSchedule ScheduleOver(int rows, long? seed = null) => new(rows, BatchSize, seed ?? Seed, EffectiveShuffle);

    [JsonIgnore]
    public LearningRateSchedule Schedule => new(Decay, LearningRate, Epochs, DecayRate, DecaySteps);

    [JsonIgnore]
    public Penalty PenaltyTerm => new(Penalty, Penalty == PenaltyKind.None ? 0 : Alpha);
}
