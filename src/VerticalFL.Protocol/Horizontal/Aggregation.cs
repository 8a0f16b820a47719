namespace VerticalFL.Protocol.Horizontal;

/// <summary>
/// One client's share of a round, already weighted by the aggregation rule so that the arbiter only ever needs
/// sums of these (a secure sum, issue 18, can then replace <see cref="PlainSum"/> without touching the rules).
/// </summary>
public sealed record ClientContribution(double[] Vector, double Weight, double StepWeight)
{
    /// <summary>
    /// FedAvg, FedProx, FedOpt: n_i·Δ_i; FedNova: n_i·Δ_i/τ_i (the client's normalised update). Weight n_i, step weight n_i·τ_i.
    /// Δ_i = w_i − w_global after the client's τ_i local steps on n_i rows.
    /// </summary>
    public static ClientContribution Of(AggregationMethod method, ReadOnlySpan<double> delta, long samples, int localSteps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(localSteps);
        double scale = method == AggregationMethod.FedNova ? (double)samples / localSteps : samples;
        var vector = new double[delta.Length];
        for (int i = 0; i < vector.Length; i++)
            vector[i] = scale * delta[i];
        return new ClientContribution(vector, samples, (double)samples * localSteps);
    }
}

/// <summary>The sums the server step works from, and how many clients went into them.</summary>
public sealed record ContributionSum(double[] Vector, double Weight, double StepWeight, int Clients);

/// <summary>Adds the round's contributions. The plain sum sees every client's vector; issue 18 replaces it with a secure sum.</summary>
public interface IContributionSum
{
    ContributionSum Sum(IReadOnlyList<ClientContribution> contributions);
}

public sealed class PlainSum : IContributionSum
{
    public ContributionSum Sum(IReadOnlyList<ClientContribution> contributions)
    {
        ArgumentOutOfRangeException.ThrowIfZero(contributions.Count, nameof(contributions));
        var vector = new double[contributions[0].Vector.Length];
        double weight = 0, stepWeight = 0;
        foreach (var c in contributions)
        {
            if (c.Vector.Length != vector.Length)
                throw new ArgumentException($"a contribution has {c.Vector.Length} entries, the model {vector.Length}.", nameof(contributions));
            for (int i = 0; i < vector.Length; i++)
                vector[i] += c.Vector[i];
            weight += c.Weight;
            stepWeight += c.StepWeight;
        }
        return new ContributionSum(vector, weight, stepWeight, contributions.Count);
    }
}

/// <summary>
/// The arbiter's step from the sums to the next global model. Stateless for FedAvg, FedProx and FedNova; FedOpt
/// keeps its first and second moments (m, v) across rounds (<see cref="Moments"/> for checkpoints).
/// </summary>
public sealed class ServerAggregator
{
    private readonly AggregationSettings _settings;
    private double[]? _m, _v;

    public ServerAggregator(AggregationSettings settings, double[][]? moments = null)
    {
        _settings = settings;
        if (moments is { Length: 2 })
            (_m, _v) = ((double[])moments[0].Clone(), (double[])moments[1].Clone());
    }

    /// <summary>FedOpt's (m, v), or null before the first FedOpt round and for the other methods.</summary>
    public double[][]? Moments => _m is null ? null : [(double[])_m.Clone(), (double[])_v!.Clone()];

    public double[] Apply(ReadOnlySpan<double> global, ContributionSum sum)
    {
        if (sum.Vector.Length != global.Length)
            throw new ArgumentException($"the sum has {sum.Vector.Length} entries, the model {global.Length}.", nameof(sum));
        var next = global.ToArray();
        // Δ = Σ n_i Δ_i / Σ n_i (FedNova: Σ p_i d_i with d_i = Δ_i / τ_i).
        var delta = sum.Vector.Select(x => x / sum.Weight).ToArray();
        switch (_settings.Method)
        {
            case AggregationMethod.FedAvg or AggregationMethod.FedProx:
                Add(next, delta, 1);
                break;
            case AggregationMethod.FedNova:
                Add(next, delta, sum.StepWeight / sum.Weight);   // τ_eff = Σ p_i τ_i (Wang et al. 2020, eq. 6)
                break;
            case AggregationMethod.FedOpt:
                AdaptiveStep(next, delta);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(_settings.Method), _settings.Method, "Unknown aggregation method.");
        }
        return next;
    }

    private static void Add(double[] weights, double[] delta, double scale)
    {
        for (int i = 0; i < weights.Length; i++)
            weights[i] += scale * delta[i];
    }

    /// <summary>Reddi et al. 2021, Algorithm 2: Δ_t is the pseudo-gradient; v starts at τ²; no bias correction.</summary>
    private void AdaptiveStep(double[] weights, double[] delta)
    {
        double b1 = _settings.Beta1, b2 = _settings.Beta2, tau = _settings.Tau, eta = _settings.ServerLearningRate;
        _m ??= new double[weights.Length];
        _v ??= Enumerable.Repeat(tau * tau, weights.Length).ToArray();
        for (int i = 0; i < weights.Length; i++)
        {
            double d = delta[i], d2 = d * d;
            _m[i] = b1 * _m[i] + (1 - b1) * d;
            _v[i] = _settings.ServerOptimizer switch
            {
                ServerOptimizer.Adagrad => _v[i] + d2,
                ServerOptimizer.Yogi => _v[i] - (1 - b2) * d2 * Math.Sign(_v[i] - d2),
                _ => b2 * _v[i] + (1 - b2) * d2,
            };
            weights[i] += eta * _m[i] / (Math.Sqrt(_v[i]) + tau);
        }
    }
}
