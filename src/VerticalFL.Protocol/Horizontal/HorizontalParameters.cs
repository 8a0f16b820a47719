using VerticalFL.Ml.Optimization;
using VerticalFL.Protocol.Horizontal.Privacy;

namespace VerticalFL.Protocol.Horizontal;

/// <summary>How the arbiter turns clients' updates into the next global model (docs/protocol/horizontal.md).</summary>
public enum AggregationMethod { FedAvg, FedProx, FedNova, FedOpt }

/// <summary>The server optimiser of FedOpt (Reddi et al. 2021, Algorithm 2).</summary>
public enum ServerOptimizer { Adam, Yogi, Adagrad }

/// <summary>Synchronous rounds, or asynchronous mixing of each update as it arrives.</summary>
public enum HorizontalMode { Sync, FedAsync, FedBuff }

/// <summary>FedAsync's staleness function s(t − τ) (Xie et al. 2019, §5.2).</summary>
public enum StalenessPenalty { Constant, Polynomial, Hinge }

public sealed record AggregationSettings
{
    public AggregationMethod Method { get; init; } = AggregationMethod.FedAvg;
    /// <summary>FedProx μ: weight of the proximal term μ/2‖w − w_global‖² in each client's objective.</summary>
    public double Mu { get; init; } = 0.01;
    public ServerOptimizer ServerOptimizer { get; init; } = ServerOptimizer.Adam;
    /// <summary>FedOpt η (and FedBuff's server learning rate).</summary>
    public double ServerLearningRate { get; init; } = 0.1;
    /// <summary>FedOpt τ: the adaptivity (added to √v).</summary>
    public double Tau { get; init; } = 1e-3;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.99;
}

public sealed record AsyncSettings
{
    /// <summary>Updates trained from a model more than this many versions old are refused and counted.</summary>
    public int StalenessBound { get; init; } = 5;
    public StalenessPenalty Penalty { get; init; } = StalenessPenalty.Polynomial;
    /// <summary>FedAsync α: the mixing weight of a fresh update.</summary>
    public double Alpha { get; init; } = 0.6;
    /// <summary>a: the exponent of the polynomial penalty, the slope of the hinge.</summary>
    public double PenaltyA { get; init; } = 0.5;
    /// <summary>b: the hinge's free staleness.</summary>
    public int HingeB { get; init; } = 2;
    /// <summary>FedBuff K: updates buffered per aggregation.</summary>
    public int Buffer { get; init; } = 3;
    /// <summary>
    /// Client updates the arbiter applies before it stops; 0 (default) = rounds × clients, the updates a synchronous job of
    /// the same rounds would apply. FedAsync makes one model version per update, FedBuff one per <see cref="Buffer"/> updates.
    /// </summary>
    public int Updates { get; init; }
}

/// <summary>Everything a horizontal job's parties agree on. Validated by <see cref="Validate"/>.</summary>
public sealed record HorizontalParameters
{
    /// <summary>Hidden layer sizes: empty for logistic regression (binary or softmax), one or two for an MLP.</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [];
    public int Rounds { get; init; } = 20;
    public int EpochsPerRound { get; init; } = 1;
    public int BatchSize { get; init; } = 64;
    public double LearningRate { get; init; } = 0.05;
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;
    public AggregationSettings Aggregation { get; init; } = new();
    public HorizontalMode Mode { get; init; } = HorizontalMode.Sync;
    public AsyncSettings Async { get; init; } = new();
    public int MinParticipants { get; init; } = 2;
    /// <summary>At most this many clients train in a round (a seeded sample); 0 = all.</summary>
    public int MaxParticipants { get; init; }
    /// <summary>How long the arbiter waits for a round's updates; late clients are left out of the round.</summary>
    public TimeSpan RoundDeadline { get; init; } = TimeSpan.FromMinutes(2);
    /// <summary>Share of each client's rows held out locally for the per-round validation metrics.</summary>
    public double ValidationFraction { get; init; } = 0.2;
    public long Seed { get; init; } = 42;
    /// <summary>Bins of the validation-score histograms the pooled AUC is computed from.</summary>
    public int AucBins { get; init; } = 1000;
    /// <summary>Mask every update so that the arbiter learns only the round's sum (issue 18).</summary>
    public SecureAggregationSettings SecureAggregation { get; init; } = new();
    /// <summary>Differential privacy (record-level DP-SGD or client-level DP-FedAvg), or null for none.</summary>
    public PrivacySettings? Privacy { get; init; }

    public void Validate()
    {
        Check(Hidden.Count <= 2 && Hidden.All(h => h >= 1), "model.hidden", $"at most two hidden layers of at least 1 unit; got [{string.Join(", ", Hidden)}]");
        Check(Rounds >= 1, "rounds", $"must be at least 1; got {Rounds}");
        Check(EpochsPerRound >= 1, "epochs_per_round", $"must be at least 1; got {EpochsPerRound}");
        Check(BatchSize >= 1, "batch_size", $"must be at least 1; got {BatchSize}");
        Check(LearningRate > 0 && double.IsFinite(LearningRate), "learning_rate", $"must be positive; got {LearningRate}");
        Check(Aggregation.Mu >= 0, "aggregation.mu", $"must be ≥ 0; got {Aggregation.Mu}");
        Check(Aggregation.ServerLearningRate > 0, "aggregation.server_learning_rate", $"must be positive; got {Aggregation.ServerLearningRate}");
        Check(Aggregation.Tau > 0, "aggregation.tau", $"must be positive; got {Aggregation.Tau}");
        Check(MinParticipants >= 1, "min_participants", $"must be at least 1; got {MinParticipants}");
        Check(MaxParticipants == 0 || MaxParticipants >= MinParticipants, "max_participants",
            $"must be 0 (all) or ≥ min_participants ({MinParticipants}); got {MaxParticipants}");
        Check(RoundDeadline > TimeSpan.Zero, "round_deadline_seconds", $"must be positive; got {RoundDeadline.TotalSeconds}");
        Check(ValidationFraction is >= 0 and < 1, "validation_fraction", $"must be in [0, 1); got {ValidationFraction}");
        Check(Async.StalenessBound >= 0, "mode.staleness_bound", $"must be ≥ 0; got {Async.StalenessBound}");
        Check(Async.Alpha is > 0 and <= 1, "mode.alpha", $"must be in (0, 1]; got {Async.Alpha}");
        Check(Async.Buffer >= 1, "mode.buffer", $"must be at least 1; got {Async.Buffer}");
        Check(Async.Updates >= 0, "mode.updates", $"must be 0 (rounds × clients) or positive; got {Async.Updates}");
        Check(Async.PenaltyA >= 0 && double.IsFinite(Async.PenaltyA), "mode.staleness_a", $"must be ≥ 0; got {Async.PenaltyA}");
        Check(Async.HingeB >= 0, "mode.staleness_b", $"must be ≥ 0; got {Async.HingeB}");
        SecureAggregation.Validate(this, Check);
        if (Privacy is not null)
        {
            Check(!SecureAggregation.Enabled || Privacy.Level == PrivacyLevel.Record, "privacy.level",
                "client-level noise with secure aggregation must be added inside the masked ring, which is not built yet; use level record");
            if (Privacy.Problem() is var (key, problem))
                Check(false, key, problem);
            Check(Mode == HorizontalMode.Sync || Privacy.Level == PrivacyLevel.Record, "privacy.level",
                "client-level privacy noises each synchronous round's sum; use mode sync, or level record with fedasync/fedbuff");
            Check(Privacy.Level == PrivacyLevel.Record || Aggregation.Method != AggregationMethod.FedNova, "aggregation.method",
                "client-level privacy weighs every clipped update equally; use fedavg, fedprox or fedopt, not fednova");
        }
        Check(Mode != HorizontalMode.FedAsync || Aggregation.Method != AggregationMethod.FedOpt, "aggregation.method",
            "fedopt needs a server optimiser over aggregated updates; use it with mode fedbuff or sync, not fedasync");
    }

    /// <summary>Model versions an asynchronous job runs to: the updates to apply (<see cref="AsyncSettings.Updates"/>, or
    /// rounds × clients), one version each in FedAsync, ⌈updates / K⌉ buffers in FedBuff.</summary>
    public int AsyncVersions(int clients)
    {
        int updates = Async.Updates > 0 ? Async.Updates : Rounds * Math.Max(1, clients);
        return Mode == HorizontalMode.FedBuff ? (updates + Async.Buffer - 1) / Async.Buffer : updates;
    }

    private static void Check(bool ok, string name, string message)
    {
        if (!ok)
            throw new ArgumentException($"{name}: {message}.", name);
    }
}
