using System.Numerics;
using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.Encoding;
using VerticalFL.Crypto.Paillier;
using VerticalFL.Ml.Optimization;
using VerticalFL.Protocol.Channels;

namespace VerticalFL.Protocol.Training;

/// <summary>
/// The part of a mini-batch that guest and host do alike: turn [[d]] into this party's encrypted
/// gradient by a multi-exponentiation, have the arbiter decrypt it (masked, or in the clear in
/// arbiter-steps mode), then move this party's own weights.
/// </summary>
internal sealed class PartyLearner
{
    private readonly HeteroLrParameters _parameters;
    private readonly Optimizer _optimizer;
    private readonly Penalty _penalty;
    private readonly int _featureCount;

    /// <param name="featureCount">Leading weights that are feature weights (penalised); the rest is the intercept.</param>
    public PartyLearner(HeteroLrParameters parameters, double[] weights, int featureCount, OptimizerState? state)
    {
        _parameters = parameters;
        Weights = weights;
        _featureCount = featureCount;
        _penalty = parameters.PenaltyTerm;
        _optimizer = state is null ? Optimizer.Create(parameters.Optimizer, weights.Length) : Optimizer.Restore(state, weights.Length);
    }

    public double[] Weights { get; }

    /// <summary>Fixed-point bits of Σᵢ xᵢ·dᵢ: residuals at value bits times features at feature bits.</summary>
    public int GradientBits => _parameters.ValueBits + _parameters.FeatureBits;

    public double PenaltyLoss => _penalty.Loss(Weights, _featureCount);

    /// <summary>Test-only: sees this party's unmasked Σᵢ xᵢⱼ·4dᵢ each step (what a curious party holds).</summary>
    public Action<Step, BigInteger[]>? GradientTap { get; init; }

    /// <summary>This party's state after <paramref name="epoch"/>: a copy of the weights and the optimiser state.</summary>
    public PartyCheckpoint Checkpoint(int epoch) =>
        new() { EpochsCompleted = epoch + 1, Weights = Weights.ToArray(), Optimizer = _optimizer.State };

    /// <summary>
    /// One optimiser step from <paramref name="residuals"/> = [[4·d]] (value bits) over <paramref name="batch"/>.
    /// Returns the weight change.
    /// </summary>
    public async Task<double[]> StepAsync(IPartyChannel channel, string arbiter, CryptoSession session,
        IReadOnlyList<Ciphertext> residuals, QuantizedMatrix batch, double learningRate, Step step, CancellationToken ct)
    {
        var sums = session.Evaluator.TransposeProduct(residuals, batch); // Σᵢ xᵢⱼ·4dᵢ = 4B·gⱼ
        try
        {
            var delta = _parameters.GradientMode == GradientMode.Masked
                ? await MaskedStepAsync(channel, arbiter, session, sums, batch.Rows, learningRate, step, ct)
                : await ArbiterStepAsync(channel, arbiter, session, sums, batch.Rows, step, ct);
            for (int j = 0; j < Weights.Length; j++)
                Weights[j] += delta[j];
            return delta;
        }
        finally
        {
            Wire.DisposeAll(sums);
        }
    }

    /// <summary>
    /// One optimiser step from plaintext sums Σᵢ xᵢⱼ·4dᵢ over <paramref name="rows"/> rows (the CKKS path, whose
    /// arbiter releases the sums flooded). Returns the weight change.
    /// </summary>
    public double[] StepFromSums(double[] sums, int rows, double learningRate)
    {
        if (sums.Length != Weights.Length)
            throw new InvalidOperationException($"{sums.Length} gradient sums for {Weights.Length} weights.");
        var gradient = sums.Select(s => s / (4.0 * rows)).ToArray();
        _penalty.AddGradient(gradient, Weights, _featureCount);
        var delta = _optimizer.Update(gradient, learningRate);
        for (int j = 0; j < Weights.Length; j++)
            Weights[j] += delta[j];
        return delta;
    }

    private async Task<double[]> MaskedStepAsync(IPartyChannel channel, string arbiter, CryptoSession session,
        Ciphertext[] sums, int rows, double learningRate, Step step, CancellationToken ct)
    {
        int bound = GradientRange.ValueBits(rows, _parameters.ValueBits);
        var masks = sums.Select(_ => GradientRange.Mask(bound)).ToArray();
        var masked = AddFresh(session, sums, masks);
        try
        {
            await channel.SendAsync(arbiter, Wire.Vector(masked, GradientBits, rows), step, ct);
        }
        finally
        {
            Wire.DisposeAll(masked);
        }
        var revealed = Wire.Integers(await channel.ReceiveAsync<MaskedValues>(arbiter, step, ct));
        if (revealed.Length != sums.Length)
            throw new InvalidOperationException($"The arbiter returned {revealed.Length} values for {sums.Length} gradient entries.");
        var unmasked = revealed.Select((v, j) => v - masks[j]).ToArray();
        GradientTap?.Invoke(step, unmasked);
        var gradient = unmasked.Select(v => FixedPoint.Decode(v, GradientBits) / (4.0 * rows)).ToArray();
        _penalty.AddGradient(gradient, Weights, _featureCount);
        return _optimizer.Update(gradient, learningRate);
    }

    /// <summary>FATE's mode: the penalty gradient is added under encryption and the arbiter runs the optimiser.</summary>
    private async Task<double[]> ArbiterStepAsync(IPartyChannel channel, string arbiter, CryptoSession session,
        Ciphertext[] sums, int rows, Step step, CancellationToken ct)
    {
        var penalty = new double[sums.Length];
        _penalty.AddGradient(penalty, Weights, _featureCount);
        var withPenalty = AddFresh(session, sums, penalty.Select(p => FixedPoint.Encode(p * 4.0 * rows, GradientBits)).ToArray());
        try
        {
            await channel.SendAsync(arbiter, Wire.Vector(withPenalty, GradientBits, rows), step, ct);
        }
        finally
        {
            Wire.DisposeAll(withPenalty);
        }
        var update = await channel.ReceiveAsync<WeightUpdate>(arbiter, step, ct);
        if (update.Delta.Count != Weights.Length)
            throw new InvalidOperationException($"The arbiter returned {update.Delta.Count} updates for {Weights.Length} weights.");
        return update.Delta.ToArray();
    }

    /// <summary>[[aⱼ + bⱼ]] with bⱼ freshly encrypted, so the result's randomness is new (a bare AddPlain would not re-randomise).</summary>
    private static Ciphertext[] AddFresh(CryptoSession session, Ciphertext[] sums, BigInteger[] plaintexts)
    {
        var fresh = session.Encryptor.EncryptBatch(plaintexts);
        try
        {
            return sums.Select((c, j) => session.Evaluator.Add(c, fresh[j])).ToArray();
        }
        finally
        {
            Wire.DisposeAll(fresh);
        }
    }
}
