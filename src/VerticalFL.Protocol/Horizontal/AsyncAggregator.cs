using VerticalFL.Contracts.V1;

namespace VerticalFL.Protocol.Horizontal;

/// <summary>The staleness functions s(t − τ) of FedAsync (Xie et al. 2019, §5.2), also used to damp FedBuff's buffered updates.</summary>
public static class Staleness
{
    /// <summary>
    /// Constant: 1. Polynomial: (1 + s)^−a. Hinge: 1 when s ≤ b, else 1 / (a(s − b) + 1). s = t − τ is how many model
    /// versions the arbiter moved on since the version τ the update was trained from (0 for a fresh update).
    /// </summary>
    public static double Weight(StalenessPenalty penalty, int staleness, double a, int b)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(staleness);
        return penalty switch
        {
            StalenessPenalty.Constant => 1,
            StalenessPenalty.Polynomial => Math.Pow(1 + staleness, -a),
            StalenessPenalty.Hinge => staleness <= b ? 1 : 1 / (a * (staleness - b) + 1),
            _ => throw new ArgumentOutOfRangeException(nameof(penalty), penalty, "Unknown staleness penalty."),
        };
    }
}

/// <summary>What the arbiter did with one update.</summary>
/// <param name="Refused">Staler than <c>staleness_bound</c>: not applied, counted.</param>
/// <param name="Report">Set when the update produced a new model version (every FedAsync update; the K-th buffered FedBuff update).</param>
public sealed record AsyncOutcome(int Staleness, double StalenessWeight, bool Refused, HorizontalRoundReport? Report);

/// <summary>
/// The arbiter's state in an asynchronous job, free of any channel so that the update rules can be tested on their own:
/// the global model, its version t, the recent versions FedAsync mixes from, FedBuff's buffer, and the refusal count.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><b>FedAsync</b> (Xie et al. 2019, Algorithm 1 with the adaptive α_t of §5.2): the client trained x_new = x_τ + Δ from
/// version τ; the arbiter at version t sets x_t = (1 − α_t)·x_{t−1} + α_t·x_new with α_t = α·s(t − τ), then t ← t + 1.</item>
/// <item><b>FedBuff</b> (Nguyen et al. 2022, Algorithm 1): each update's contribution (n_i·Δ_i as in FedAvg) is scaled by
/// s(t − τ) and buffered; the K-th update triggers the job's aggregation rule on the buffer's sums (FedAvg:
/// w ← w + Σ s_i n_i Δ_i / Σ n_i; FedOpt: the server optimiser on that Δ), then t ← t + 1 and the buffer empties.
/// With fresh updates (s = 1) a buffer is exactly FedAvg over its K updates.</item>
/// <item>An update trained from a version more than <c>staleness_bound</c> behind t is refused and counted, in both modes.</item>
/// </list>
/// </remarks>
public sealed class AsyncAggregator
{
    private readonly HorizontalParameters _parameters;
    private readonly ServerAggregator _server;
    private readonly Dictionary<long, double[]> _versions = [];
    private readonly List<(string Client, ClientUpdate Update, double Weight)> _buffer = [];
    private readonly Dictionary<string, string> _leftOut = [];
    private int _refusedSinceReport;

    public AsyncAggregator(HorizontalParameters parameters, double[] weights, int version = 0, double[][]? moments = null)
    {
        if (parameters.Mode == HorizontalMode.Sync)
            throw new ArgumentException("mode: the asynchronous aggregator needs mode fedasync or fedbuff.", nameof(parameters));
        _parameters = parameters;
        _server = new ServerAggregator(parameters.Aggregation, moments);
        Weights = (double[])weights.Clone();
        Version = version;
        _versions[version] = Weights;
    }

    /// <summary>The current global model (do not modify).</summary>
    public double[] Weights { get; private set; }

    /// <summary>t: how many times the global model changed (FedAsync: applied updates; FedBuff: aggregated buffers).</summary>
    public int Version { get; private set; }

    public int RefusedStale { get; private set; }

    /// <summary>Updates applied (FedAsync) or aggregated as part of a buffer (FedBuff).</summary>
    public int Applied { get; private set; }

    public IContributionSum Summer { get; init; } = new PlainSum();

    /// <summary>FedOpt's server moments (FedBuff), for checkpoints.</summary>
    public double[][]? Moments => _server.Moments;

    /// <summary>Notes a client left out (failed or late) in the next report.</summary>
    public void LeaveOut(string client, string reason) => _leftOut[client] = reason;

    public AsyncOutcome Offer(string client, ClientUpdate update)
    {
        long staleness = Version - update.BaseVersion;
        if (staleness < 0 || !_versions.ContainsKey(update.BaseVersion) && staleness <= _parameters.Async.StalenessBound)
            throw new HorizontalJobException($"{client} sent an update from model version {update.BaseVersion}, which the arbiter never sent (now at {Version}).");
        if (update.Contribution.Count != Weights.Length)
            throw new HorizontalJobException($"{client} sent {update.Contribution.Count} contribution entries for a model of {Weights.Length}.");
        if (!(update.Weight > 0))
            throw new HorizontalJobException($"{client} sent an update of weight {update.Weight}; it must be positive.");
        var settings = _parameters.Async;
        int s = (int)Math.Min(staleness, int.MaxValue);
        if (staleness > settings.StalenessBound)
        {
            RefusedStale++;
            _refusedSinceReport++;
            return new AsyncOutcome(s, 0, true, null);
        }
        double weight = Staleness.Weight(settings.Penalty, s, settings.PenaltyA, settings.HingeB);
        Applied++;
        if (_parameters.Mode == HorizontalMode.FedAsync)
        {
            double mixing = settings.Alpha * weight;
            var base_ = _versions[update.BaseVersion];
            var delta = ClientDelta(update);
            var next = new double[Weights.Length];
            for (int i = 0; i < next.Length; i++)
                next[i] = (1 - mixing) * Weights[i] + mixing * (base_[i] + delta[i]);
            return new AsyncOutcome(s, weight, false, Advance(next, [(client, update)]));
        }
        _buffer.Add((client, update, weight));
        if (_buffer.Count < settings.Buffer)
            return new AsyncOutcome(s, weight, false, null);
        var contributions = _buffer.Select(b => new ClientContribution(
            b.Update.Contribution.Select(x => x * b.Weight).ToArray(), b.Update.Weight, b.Update.StepWeight)).ToList();
        var aggregated = _server.Apply(Weights, Summer.Sum(contributions));
        var members = _buffer.Select(b => (b.Client, b.Update)).ToList();
        _buffer.Clear();
        return new AsyncOutcome(s, weight, false, Advance(aggregated, members));
    }

    /// <summary>Δ_i = w_i − w_τ recovered from the weighted contribution (FedNova's n_i·Δ_i/τ_i times τ_i = step weight / weight).</summary>
    private double[] ClientDelta(ClientUpdate update)
    {
        double scale = 1 / update.Weight;
        if (_parameters.Aggregation.Method == AggregationMethod.FedNova)
            scale *= update.StepWeight / update.Weight;
        return update.Contribution.Select(x => x * scale).ToArray();
    }

    private HorizontalRoundReport Advance(double[] next, List<(string Client, ClientUpdate Update)> members)
    {
        Version++;
        Weights = next;
        _versions[Version] = next;
        _versions.Remove(Version - _parameters.Async.StalenessBound - 1);   // older bases are refused anyway
        double trainLoss = members.Sum(m => m.Update.TrainLossSum) / Math.Max(1, members.Sum(m => m.Update.TrainRows));
        var validation = Validation.Pool(members.Select(m => m.Update.Validation).Where(v => v is not null));
        var report = new HorizontalRoundReport(Version, members.Select(m => m.Client).Distinct().Order().ToArray(),
            new Dictionary<string, string>(_leftOut), trainLoss, validation, next, _server.Moments, _refusedSinceReport);
        _leftOut.Clear();
        _refusedSinceReport = 0;
        return report;
    }
}
