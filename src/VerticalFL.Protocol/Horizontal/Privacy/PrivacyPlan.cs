using VerticalFL.Ml.Privacy;

namespace VerticalFL.Protocol.Horizontal.Privacy;

/// <summary>Whose privacy ε protects: one record (row) at each client, or one client's whole data.</summary>
public enum PrivacyLevel { Record, Client }

/// <summary>Gaussian noise ((ε, δ)-DP, Rényi accounting) or Laplace noise (pure ε-DP).</summary>
public enum PrivacyNoise { Gaussian, Laplace }

/// <summary>A horizontal job's differential privacy (job spec <c>privacy:</c>; docs/protocol/horizontal.md, docs/security.md).</summary>
public sealed record PrivacySettings
{
    /// <summary>ε over the whole job. Required, &gt; 0.</summary>
    public double Epsilon { get; init; } = double.NaN;
    /// <summary>δ of (ε, δ)-DP (Gaussian noise); keep it below 1/rows.</summary>
    public double Delta { get; init; } = 1e-5;
    public PrivacyLevel Level { get; init; } = PrivacyLevel.Record;
    public PrivacyNoise Noise { get; init; } = PrivacyNoise.Gaussian;
    /// <summary>C: the L2 bound (L1 with Laplace noise) of each per-example gradient (record level) or client update (client level).</summary>
    public double ClippingNorm { get; init; } = 1.0;

    /// <summary>Null, or the first bad setting as its spec key and the problem.</summary>
    public (string Key, string Problem)? Problem()
    {
        if (!(double.IsFinite(Epsilon) && Epsilon > 0))
            return ("privacy.epsilon", double.IsNaN(Epsilon) ? "is required with privacy (a number > 0)" : $"must be > 0; got {Epsilon}");
        if (!(Delta is > 0 and < 1))
            return ("privacy.delta", $"must be in (0, 1), e.g. 1e-5; got {Delta}");
        if (!(double.IsFinite(ClippingNorm) && ClippingNorm > 0))
            return ("privacy.clipping_norm", $"must be > 0; got {ClippingNorm}");
        return null;
    }
}

/// <summary>What one client's local DP-SGD uses: Poisson sampling rate q, steps per round, and the noise it needs.</summary>
/// <param name="NoiseMultiplier">Gaussian: z, the noise standard deviation over the clipping norm.</param>
/// <param name="StepEpsilon">Laplace: ε₀ of each step on its sample (noise scale C/ε₀).</param>
public sealed record ClientPrivacyPlan(long Rows, double SamplingRate, long StepsPerRound, double NoiseMultiplier, double StepEpsilon);

/// <summary>The arbiter refused a job whose privacy budget cannot be met.</summary>
public sealed class PrivacyBudgetException(string message) : ArgumentException(message);

/// <summary>
/// The calibration of a horizontal job's noise to its budget, computed identically by the arbiter (from every client's
/// training row count, before round 1) and by each client (from its own): record level — each client runs
/// rounds × epochs_per_round × ⌈n_i / batch_size⌉ DP-SGD steps at Poisson rate q_i = batch_size / n_i, and its z_i is the
/// smallest meeting ε at δ (<see cref="SampledGaussianRdpAccountant"/>), or with Laplace noise each step gets the ε₀ that
/// composes to ε after amplification (<see cref="SubsampledLaplaceAccountant"/>); client level — one release per round,
/// q = 1 (no amplification is claimed for participation sampling). ε spent after r rounds is the largest over clients.
/// </summary>
public sealed class PrivacyPlan
{
    /// <summary>Noise beyond this many clipping norms per step is refused: the model would learn nothing.</summary>
    public const double MaxNoiseMultiplier = 100;

    /// <summary>Lattice units per clipping norm: updates are rounded to C/2^16 before clipping and noising.</summary>
    public const int GridBits = 16;

    private PrivacyPlan(PrivacySettings settings, HorizontalParameters parameters, ClientPrivacyPlan[] clients)
    {
        Settings = settings;
        Rounds = parameters.Rounds;
        Clients = clients;
    }

    public PrivacySettings Settings { get; }
    public int Rounds { get; }
    /// <summary>Record level: one plan per client, in the order given. Client level: a single plan for the job.</summary>
    public IReadOnlyList<ClientPrivacyPlan> Clients { get; }

    /// <summary>The plan, or <see cref="PrivacyBudgetException"/> naming why ε cannot be met.</summary>
    public static PrivacyPlan For(HorizontalParameters parameters, IReadOnlyList<long> clientRows)
    {
        var settings = parameters.Privacy ?? throw new ArgumentException("the job has no privacy settings.", nameof(parameters));
        if (settings.Level == PrivacyLevel.Client)
            return new PrivacyPlan(settings, parameters, [Calibrate(settings, rows: 0, q: 1, stepsPerRound: 1, parameters.Rounds, "the job")]);
        return new PrivacyPlan(settings, parameters, clientRows.Select((rows, i) =>
        {
            if (rows < 1)
                throw new PrivacyBudgetException($"client {i + 1} has no training rows.");
            double q = Math.Min(1.0, (double)parameters.BatchSize / rows);
            long perRound = parameters.EpochsPerRound * ((rows + parameters.BatchSize - 1) / parameters.BatchSize);
            return Calibrate(settings, rows, q, perRound, parameters.Rounds, $"a client with {rows} training rows");
        }).ToArray());
    }

    /// <summary>One client's plan (record level) from its own row count; the same numbers the arbiter computed.</summary>
    public static ClientPrivacyPlan ForClient(HorizontalParameters parameters, long rows) => For(parameters, [rows]).Clients[0];

    private static ClientPrivacyPlan Calibrate(PrivacySettings settings, long rows, double q, long stepsPerRound, int rounds, string who)
    {
        long steps = stepsPerRound * rounds;
        if (settings.Noise == PrivacyNoise.Laplace)
        {
            // ε₀ on the 2^−20 grid the sampler's rational scale uses, one grid step below the exact value (never above ε)
            double exact = SubsampledLaplaceAccountant.StepEpsilon(settings.Epsilon, q, steps);
            double stepEpsilon = (Math.Floor(exact * (1 << 20)) - 1) / (1 << 20);
            if (stepEpsilon <= 0)
                throw new PrivacyBudgetException($"privacy.epsilon: ε = {settings.Epsilon} over {steps} Laplace steps for {who} leaves " +
                    $"each step less than 2^−20; raise epsilon or lower rounds");
            return new ClientPrivacyPlan(rows, q, stepsPerRound, double.NaN, stepEpsilon);
        }
        try
        {
            double z = SampledGaussianRdpAccountant.NoiseMultiplier(settings.Epsilon, settings.Delta, q, steps, MaxNoiseMultiplier);
            return new ClientPrivacyPlan(rows, q, stepsPerRound, z, double.NaN);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new PrivacyBudgetException($"privacy.epsilon: ε = {settings.Epsilon} at δ = {settings.Delta} cannot be met for {who}: {steps} " +
                $"noisy steps at sampling rate {q:G3} need a noise multiplier above {MaxNoiseMultiplier} × clipping_norm; raise epsilon, or lower " +
                "rounds or epochs_per_round" + (settings.Level == PrivacyLevel.Record ? ", or raise batch_size" : ""));
        }
    }

    /// <summary>
    /// Record level, asynchronous jobs: ε spent when client i has trained <paramref name="roundsPerClient"/>[i] times (the
    /// clients in the plan's order); the largest over clients.
    /// </summary>
    public double EpsilonAfter(IReadOnlyList<int> roundsPerClient) =>
        Clients.Select((c, i) => Spent(c, Math.Max(0, roundsPerClient[i]) * c.StepsPerRound)).Max();

    /// <summary>ε spent after <paramref name="rounds"/> rounds: the largest over clients (Gaussian: at the job's δ).</summary>
    public double EpsilonAfter(int rounds) => Clients.Max(c => Spent(c, Math.Max(0, rounds) * c.StepsPerRound));

    private double Spent(ClientPrivacyPlan c, long steps) => Settings.Noise == PrivacyNoise.Laplace
        ? SubsampledLaplaceAccountant.Epsilon(c.SamplingRate, c.StepEpsilon, steps)
        : SampledGaussianRdpAccountant.Epsilon(c.SamplingRate, c.NoiseMultiplier, steps, Settings.Delta);
}
