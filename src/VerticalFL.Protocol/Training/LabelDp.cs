using System.Numerics;
using VerticalFL.Crypto.Ckks.Flooding;
using VerticalFL.Ml.Privacy;

namespace VerticalFL.Protocol.Training;

/// <summary>
/// Optional label differential privacy for hetero LR (spec <c>training.dp</c>): the guest clips its share of each
/// row's residual and adds discrete Gaussian noise before encrypting it, calibrated so the whole training meets
/// (ε, δ)-DP for the labels against everything the hosts see. docs/security.md, "Label differential privacy".
/// </summary>
public sealed record LabelDpSettings
{
    /// <summary>ε of (ε, δ)-DP over the job's <c>max_iter</c> epochs. Required, &gt; 0.</summary>
    public double Epsilon { get; init; } = double.NaN;
    /// <summary>δ of (ε, δ)-DP, in (0, 1); keep it well below 1/rows.</summary>
    public double Delta { get; init; } = 1e-5;
    /// <summary>Bound on the guest's share ¼u_g − ½y of each residual d (residual units); labels contribute ±½.</summary>
    public double Clip { get; init; } = 1.0;
}

/// <summary>What a job's report states about its label DP (residual units: d = ¼u − ½y).</summary>
/// <param name="Sigma">Noise standard deviation added to each row's residual d.</param>
/// <param name="Epochs">Epochs whose releases are counted (the epochs run, including those of a resumed job).</param>
public sealed record LabelDpReport(double EpsilonTarget, double EpsilonSpent, double Delta, double Clip, double Sigma,
    double NoiseMultiplier, int Epochs);

/// <summary>
/// A job's label-DP calibration: the noise multiplier z that meets ε over the configured epochs, the clipping bound and
/// sensitivity on the fixed-point scale of the encrypted residual 4d, and the accountant's ε for the epochs run.
/// </summary>
/// <remarks>
/// The mechanism per batch: Vᵢ = clamp(round(u_g,i·2^v) − 2yᵢ·2^v, ±K) with K = ⌊4·clip·2^v⌋, then Vᵢ + Nᵢ with Nᵢ a
/// discrete Gaussian of σ_int ≥ z·Δ_int, where Δ_int = min(4·2^v, 2K) bounds |Vᵢ(y) − Vᵢ(−y)| exactly (clamping is
/// 1-Lipschitz and 2yᵢ·2^v is an integer). Every later value a host sees (the sum with its own scores, its gradient,
/// the guest's weights through the residuals, the stop decision under weight_diff) is computed from these noisy
/// residuals, and each label sits in one batch per epoch, so an epoch is one Gaussian release per label and the
/// releases compose over epochs (<see cref="GaussianRdpAccountant"/>).
/// </remarks>
public sealed class LabelDp
{
    /// <summary>Largest noise multiplier: 64σ stays inside the residual's fixed-point range |4d| &lt; 2^20.</summary>
    public const double MaxNoiseMultiplier = 4096;

    private readonly int _valueBits;
    private readonly long _clamp;           // K
    private readonly BigInteger _sensitivity; // Δ_int
    private DiscreteGaussianSampler[]? _samplers;

    private LabelDp(LabelDpSettings settings, int epochs, int valueBits)
    {
        Settings = settings;
        MaxEpochs = epochs;
        _valueBits = valueBits;
        NoiseMultiplier = GaussianRdpAccountant.NoiseMultiplier(settings.Epsilon, settings.Delta, epochs);
        double scale = Math.Pow(2, valueBits);
        _clamp = (long)Math.Floor(Math.Min(4 * settings.Clip, 1 << 20) * scale);
        _sensitivity = BigInteger.Min(new BigInteger(4 * scale), 2 * (BigInteger)_clamp);
        Sigma = NoiseMultiplier * (double)_sensitivity / (4 * scale);
    }

    public LabelDpSettings Settings { get; }

    /// <summary>The epochs ε is calibrated over (<c>max_iter</c>).</summary>
    public int MaxEpochs { get; }

    /// <summary>z = σ/Δ.</summary>
    public double NoiseMultiplier { get; }

    /// <summary>Noise standard deviation on each row's residual d (residual units).</summary>
    public double Sigma { get; }

    /// <summary>The job's plan, or null when the job has no <c>dp</c>. Assumes validated parameters.</summary>
    public static LabelDp? For(HeteroLrParameters parameters) =>
        parameters.Dp is { } dp ? new LabelDp(dp, parameters.Epochs, parameters.ValueBits) : null;

    /// <summary>Null, or the first bad setting of <paramref name="dp"/> as its spec key (<c>dp.…</c>) and the problem.</summary>
    internal static (string Key, string Problem)? Problem(LabelDpSettings dp, int epochs)
    {
        if (!(double.IsFinite(dp.Epsilon) && dp.Epsilon > 0))
            return ("dp.epsilon", double.IsNaN(dp.Epsilon) ? "is required with dp (a number > 0)" : $"must be > 0, got {dp.Epsilon}");
        if (!(dp.Delta is > 0 and < 1))
            return ("dp.delta", $"must be in (0, 1) (e.g. 1e-5, below 1/rows), got {dp.Delta}");
        if (!(double.IsFinite(dp.Clip) && dp.Clip > 0))
            return ("dp.clip", $"must be > 0 (residual units; 1 keeps the label term ±½ whole), got {dp.Clip}");
        if (epochs >= 1)
        {
            double z;
            try
            {
                z = GaussianRdpAccountant.NoiseMultiplier(dp.Epsilon, dp.Delta, epochs);
            }
            catch (ArgumentOutOfRangeException)
            {
                z = double.PositiveInfinity; // below what the accountant's orders (α ≤ 10⁴) can certify
            }
            if (z > MaxNoiseMultiplier)
                return ("dp.epsilon", $"ε = {dp.Epsilon} over {epochs} epochs at δ = {dp.Delta} needs noise " +
                    (double.IsFinite(z) ? $"{z:G4}" : "over 10¹²") + $"× the label's effect, beyond the {MaxNoiseMultiplier} the " +
                    "fixed-point residual allows; raise epsilon or lower max_iter");
        }
        return null;
    }

    /// <summary>The report after <paramref name="epochsRun"/> epochs (early stop or failure: fewer than planned, less ε).</summary>
    public LabelDpReport Report(int epochsRun) => new(Settings.Epsilon,
        GaussianRdpAccountant.Epsilon(NoiseMultiplier, Math.Max(0, epochsRun), Settings.Delta), Settings.Delta, Settings.Clip, Sigma,
        NoiseMultiplier, epochsRun);

    /// <summary>
    /// The guest's part of [[4d]] for one batch at value bits: clamp(round(u_g·2^v) − 2y·2^v, ±K) + discrete Gaussian noise
    /// from the OS CSPRNG. <paramref name="signedLabels"/> are ±1.
    /// </summary>
    public long[] NoisyResiduals(IReadOnlyList<double> guestScores, IReadOnlyList<double> signedLabels)
    {
        if (guestScores.Count != signedLabels.Count)
            throw new ArgumentException($"{guestScores.Count} scores for {signedLabels.Count} labels.", nameof(signedLabels));
        var clipped = Wire.FixedPoint(guestScores, _valueBits);
        long twoY = 2L << _valueBits;
        for (int i = 0; i < clipped.Length; i++)
            clipped[i] = Math.Clamp(clipped[i] - (long)signedLabels[i] * twoY, -_clamp, _clamp);
        var samplers = Samplers();
        long limit = 1L << (20 + _valueBits);
        int chunk = (clipped.Length + samplers.Length - 1) / samplers.Length;
        Parallel.For(0, samplers.Length, s =>
        {
            for (int i = s * chunk; i < Math.Min(clipped.Length, (s + 1) * chunk); i++)
            {
                var noisy = clipped[i] + samplers[s].Next();
                if (BigInteger.Abs(noisy) >= limit)
                    throw new InvalidOperationException("Label DP noise left the residual's fixed-point range (a > 64σ draw).");
                clipped[i] = (long)noisy;
            }
        });
        return clipped;
    }

    /// <summary>One sampler per core (each has its own CSPRNG buffer; samplers are not thread-safe).</summary>
    private DiscreteGaussianSampler[] Samplers()
    {
        if (_samplers is not null)
            return _samplers;
        // σ_int = z·Δ_int rounded up on a 2^-40 grid: σ_int² = ⌈z·2^40⌉²·Δ_int² / 2^80 ≥ (z·Δ_int)², exactly rational.
        var z = new BigInteger(Math.Ceiling(NoiseMultiplier * Math.Pow(2, 40)));
        var numerator = z * z * _sensitivity * _sensitivity;
        var denominator = BigInteger.One << 80;
        return _samplers = Enumerable.Range(0, Math.Max(1, Environment.ProcessorCount))
            .Select(_ => new DiscreteGaussianSampler(numerator, denominator)).ToArray();
    }
}
