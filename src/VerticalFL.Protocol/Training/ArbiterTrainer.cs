using System.Diagnostics;
using Google.Protobuf;
using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.Encoding;
using VerticalFL.Crypto.Paillier;
using VerticalFL.Ml.Data;
using VerticalFL.Ml.Optimization;
using VerticalFL.Ml.Training;
using VerticalFL.Protocol.Channels;

namespace VerticalFL.Protocol.Training;

/// <summary>
/// The arbiter's side of hetero LR: makes the job's Paillier key and shares only the public key;
/// decrypts masked gradients (or, in arbiter-steps mode, real gradients and steps each party's
/// optimiser) and the scalar batch loss; decides convergence after each epoch.
/// </summary>
public sealed class ArbiterTrainer
{
    private readonly MeteredChannel _channel;
    private readonly FederationRoles _roles;
    private readonly HeteroLrParameters _parameters;
    private readonly PartyCheckpoint? _resume;
    private readonly ITrainingObserver _observer;
    private readonly PaillierPrivateKey? _givenKey;
    private readonly Dictionary<string, Optimizer> _optimizers = [];
    private IReadOnlyDictionary<string, int> _gradientLengths = new Dictionary<string, int>();
    private CkksArbiterServer? _ckks;

    public ArbiterTrainer(IPartyChannel channel, FederationRoles roles, HeteroLrParameters parameters,
        PartyCheckpoint? resume = null, ITrainingObserver? observer = null)
        : this(channel, roles, parameters, resume, observer, key: null)
    {
    }

    /// <summary>For tests: use <paramref name="key"/> (e.g. a 1024-bit test-only key) instead of generating one.</summary>
    internal ArbiterTrainer(IPartyChannel channel, FederationRoles roles, HeteroLrParameters parameters,
        PartyCheckpoint? resume, ITrainingObserver? observer, PaillierPrivateKey? key)
    {
        _parameters = parameters.Validate(roles.Hosts.Count);
        _channel = new MeteredChannel(channel);
        _roles = roles;
        _resume = resume;
        _observer = observer ?? NullTrainingObserver.Instance;
        _givenKey = key;
    }

    /// <summary>Every loss the arbiter decrypted, per epoch (empty when the loss is not computed).</summary>
    public IReadOnlyList<double> Losses => _losses;
    private readonly List<double> _losses = [];

    public async Task TrainAsync(CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        bool ckks = _parameters.Encryption == EncryptionScheme.Ckks;
        using var generated = _givenKey is null && !ckks ? PaillierPrivateKey.Generate(_parameters.KeyBits) : null;
        var key = _givenKey ?? generated;
        if (key is not null)
            await _channel.BroadcastAsync(_roles.DataParties, new PaillierPublicKeyMessage { Key = ByteString.CopyFrom(key.PublicKey.Export()) }, Step.None, ct);
        var start = await _channel.ReceiveAsync<TrainingStart>(_roles.Guest, ct);
        if (start.AbortReason.Length > 0)
            throw new BadInputException(start.AbortReason);
        // Like the hosts, refuse to continue from another epoch than the guest's: arbiter-steps optimiser state
        // or the early-stopping loss of a different epoch would silently change the training.
        if (PartyCheckpoint.EpochMismatch(start.StartEpoch, _resume, "the arbiter") is { } resumeError)
            throw new BadInputException(resumeError);
        RestoreOptimizers();
        _gradientLengths = GradientLengths(start);

        // CKKS: the key comes after the schedule, because its flooding budget τ is the job's release count.
        using var ckksServer = ckks ? await CkksArbiterServer.StartAsync(_channel, _roles, _parameters, start, _gradientLengths, ct) : null;
        _ckks = ckksServer;
        var decryptor = key is null ? null : new PaillierDecryptor(key);
        var schedule = _parameters.ScheduleOver(start.Rows, start.Seed);
        var convergence = new ConvergenceCheck(_parameters.EarlyStop, _parameters.Tol) { PreviousLoss = _resume?.PreviousLoss };
        int epochsRun = start.StartEpoch;
        bool converged = false;
        for (int epoch = start.StartEpoch; epoch < _parameters.Epochs && !converged; epoch++)
        {
            converged = await EpochAsync(epoch, schedule, key?.PublicKey, decryptor, convergence, ct);
            epochsRun = epoch + 1;
        }
        _observer.Finished(new TrainingSummary(_channel.Self, epochsRun, converged, clock.Elapsed.TotalSeconds, _channel.BytesSent));
    }

    private async Task<bool> EpochAsync(int epoch, BatchSchedule schedule, PaillierPublicKey? key, PaillierDecryptor? decryptor,
        ConvergenceCheck convergence, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        long bytesBefore = _channel.BytesSent;
        double learningRate = _parameters.Schedule.At(epoch);
        bool lossComputed = _parameters.LossComputed(_roles.Hosts.Count);
        double lossSum = 0;
        var order = schedule.Order(epoch);
        for (int b = 0; b < schedule.BatchesPerEpoch; b++)
        {
            var step = Step.Of(epoch, b);
            foreach (string party in _roles.DataParties) // one at a time: decryption already uses every core
            {
                if (_ckks is not null)
                    await _ckks.ServeGradientAsync(party, step, ct);
                else
                    await ServeGradientAsync(party, key!, decryptor!, learningRate, step, schedule.BatchRows(order[b]), ct);
            }
            if (lossComputed)
                lossSum += _ckks is not null ? await _ckks.ReceiveLossAsync(step, ct) : await ReceiveLossAsync(key!, decryptor!, step, ct);
        }
        double? loss = lossComputed ? lossSum / schedule.Rows : null;
        var summaries = await Task.WhenAll(_roles.DataParties.Select(p => _channel.ReceiveAsync<EpochSummary>(p, Step.Of(epoch), ct)));
        bool stop = convergence.IsConverged(loss, Math.Sqrt(summaries.Sum(s => s.WeightDiffSquared)));
        await _channel.SendAsync(_roles.Guest, new EpochDecision { Stop = stop, HasLoss = loss.HasValue, Loss = loss ?? 0 }, Step.Of(epoch), ct);
        await _channel.BroadcastAsync(_roles.Hosts, new EpochDecision { Stop = stop }, Step.Of(epoch), ct);
        if (loss is { } l)
            _losses.Add(l);
        var checkpoint = new PartyCheckpoint
        {
            EpochsCompleted = epoch + 1, PreviousLoss = loss,
            PartyOptimizers = _optimizers.ToDictionary(o => o.Key, o => o.Value.State),
        };
        _observer.EpochCompleted(new EpochReport(_channel.Self, epoch, learningRate, loss, null, clock.Elapsed.TotalSeconds,
            _channel.BytesSent - bytesBefore, stop, checkpoint));
        return stop;
    }

    /// <summary>
    /// Decrypts one party's gradient message; returns g + r (masked) or the optimiser's step (arbiter-steps).
    /// A vector longer or shorter than the party declared, or a plaintext outside the honest range, is refused
    /// before anything is returned: otherwise a party could have the arbiter decrypt ciphertexts it was only
    /// meant to compute on (another party's scores or residuals).
    /// </summary>
    private async Task ServeGradientAsync(string party, PaillierPublicKey key, PaillierDecryptor decryptor, double learningRate,
        Step step, int batchRows, CancellationToken ct)
    {
        var request = await _channel.ReceiveAsync<EncryptedVector>(party, step, ct);
        var ciphertexts = Wire.Ciphertexts(key, request);
        try
        {
            int expected = _gradientLengths[party];
            if (ciphertexts.Length != expected)
                throw new BadInputException($"Step {step}: party '{party}' sent {ciphertexts.Length} values for decryption; " +
                    $"its gradient has {expected} (declared features{(party == _roles.Guest ? " + intercept" : "")}). The arbiter refuses.");
            var values = DecryptInRange(party, decryptor, ciphertexts, batchRows, step);
            if (_parameters.GradientMode == GradientMode.Masked)
            {
                await _channel.SendAsync(party, Wire.Integers(values), step, ct);
                return;
            }
            var gradient = values.Select(v => FixedPoint.Decode(v, request.FractionalBits) / (4.0 * batchRows)).ToArray();
            var update = new WeightUpdate();
            update.Delta.AddRange(Optimizer(party, gradient.Length).Update(gradient, learningRate));
            await _channel.SendAsync(party, update, step, ct);
        }
        finally
        {
            Wire.DisposeAll(ciphertexts);
        }
    }

    /// <summary>Decrypts; refuses (naming the party) unless every plaintext is in <see cref="GradientRange"/>.</summary>
    private System.Numerics.BigInteger[] DecryptInRange(string party, PaillierDecryptor decryptor, Ciphertext[] ciphertexts, int batchRows, Step step)
    {
        bool masked = _parameters.GradientMode == GradientMode.Masked;
        System.Numerics.BigInteger[] values;
        try
        {
            values = decryptor.DecryptBatch(ciphertexts);
        }
        catch (PaillierOverflowException)
        {
            values = [];
        }
        int bits = GradientRange.ValueBits(batchRows, _parameters.ValueBits);
        if (values.Length == 0 || !values.All(v => GradientRange.Accepts(v, masked, batchRows, _parameters.ValueBits)))
            throw new BadInputException($"Step {step}: party '{party}' sent a value outside the range of a{(masked ? " masked" : "")} gradient " +
                $"({(masked ? $"[2^{bits}, 2^{GradientRange.MaskBits} + 2^{bits})" : $"|g| < 2^{bits}")}); " +
                "the arbiter refuses to return it.");
        return values;
    }

    /// <summary>Each data party's gradient length as the guest relayed the declarations; every party must have one.</summary>
    private IReadOnlyDictionary<string, int> GradientLengths(TrainingStart start)
    {
        foreach (string party in _roles.DataParties)
            if (!start.GradientLengths.TryGetValue(party, out int length) || length < 1)
                throw new BadInputException($"The guest declared no gradient length for party '{party}'; the arbiter refuses the job.");
        return start.GradientLengths.ToDictionary(kv => kv.Key, kv => kv.Value);
    }

    private async Task<double> ReceiveLossAsync(PaillierPublicKey key, PaillierDecryptor decryptor, Step step, CancellationToken ct)
    {
        var message = await _channel.ReceiveAsync<EncryptedScalar>(_roles.Guest, step, ct);
        using var ciphertext = Wire.ScalarCiphertext(key, message);
        return FixedPoint.Decode(decryptor.Decrypt(ciphertext), message.FractionalBits);
    }

    private Optimizer Optimizer(string party, int size)
    {
        if (!_optimizers.TryGetValue(party, out var optimizer))
            _optimizers[party] = optimizer = Ml.Optimization.Optimizer.Create(_parameters.Optimizer, size);
        return optimizer;
    }

    private void RestoreOptimizers()
    {
        foreach (var (party, state) in _resume?.PartyOptimizers ?? new Dictionary<string, OptimizerState>())
            _optimizers[party] = Ml.Optimization.Optimizer.Restore(state, state.Moments.FirstOrDefault()?.Length ?? 0);
    }
}
