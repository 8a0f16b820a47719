using System.Diagnostics;
using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.Encoding;
using VerticalFL.Crypto.Paillier;
using VerticalFL.Ml.Data;
using VerticalFL.Ml.Metrics;
using VerticalFL.Ml.Optimization;
using VerticalFL.Ml.Preprocessing;
using VerticalFL.Ml.Training;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Models;

namespace VerticalFL.Protocol.Training;

/// <summary>
/// The guest's side of hetero LR: holds the labels; forms [[d]] from the hosts' [[u_k]], assembles
/// the encrypted loss, steps its own weights and intercept, and drives the schedule.
/// </summary>
public sealed class GuestTrainer
{
    /// <summary>Fixed-point bits of the encrypted loss (value bits + this).</summary>
    internal const int LossExtraBits = 16;

    private readonly MeteredChannel _channel;
    private readonly FederationRoles _roles;
    private readonly HeteroLrParameters _parameters;
    private readonly Dataset _train;
    private readonly Dataset? _validation;
    private readonly PartyCheckpoint? _resume;
    private readonly ITrainingObserver _observer;
    private readonly StandardScaler _scaler;
    private readonly PartyFeatures _features;
    private readonly PartyFeatures? _validationFeatures;
    private readonly BatchSchedule _schedule;
    private readonly LabelDp? _labelDp;
    private int _validationEvery;
    private CkksGuestBatches? _ckks;

    /// <param name="train">The guest's training rows (the PSI intersection, in its order) with labels.</param>
    /// <param name="validation">Optional validation rows with labels; hosts must hold the same ids.</param>
    /// <param name="resume">State after an earlier epoch to continue from.</param>
    public GuestTrainer(IPartyChannel channel, FederationRoles roles, HeteroLrParameters parameters, Dataset train,
        Dataset? validation = null, PartyCheckpoint? resume = null, ITrainingObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        _parameters = parameters.Validate(roles.Hosts.Count);
        if (train.Labels is null)
            throw new ArgumentException("train: the guest's training data needs a label column.", nameof(train));
        if (validation is not null && (validation.Labels is null || validation.Columns != train.Columns))
            throw new ArgumentException("validation: needs labels and the training data's columns.", nameof(validation));
        _channel = new MeteredChannel(channel);
        _roles = roles;
        _train = train;
        _validation = validation;
        _resume = resume;
        _observer = observer ?? NullTrainingObserver.Instance;
        _schedule = parameters.ScheduleOver(train.Rows);
        _labelDp = LabelDp.For(_parameters);
        (_scaler, _features, _validationFeatures) = PartyFeatures.Prepare(train, validation, parameters, parameters.FitIntercept);
        if (resume is not null && resume.Weights.Length != _features.Columns)
            throw new ArgumentException($"resume: the checkpoint has {resume.Weights.Length} weights, this guest needs {_features.Columns}.", nameof(resume));
    }

    /// <summary>
    /// Test-only: initial weights for a column count instead of the CSPRNG draw (e.g. the seeded weights the
    /// plaintext reference uses, or the zeros of the old behaviour an attack test reproduces).
    /// </summary>
    internal Func<int, double[]>? TestOnlyInitialWeights { get; init; }

    public async Task<GuestModelPart> TrainAsync(CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        _validationEvery = await HandshakeAsync(ct);
        bool ckks = _parameters.Encryption == EncryptionScheme.Ckks;
        var session = ckks ? null : CryptoSession.From(await _channel.ReceiveAsync<PaillierPublicKeyMessage>(_roles.Arbiter, ct), _parameters, _roles.Arbiter);
        _ckks = ckks ? await CkksGuestBatches.StartAsync(_channel, _roles, _parameters, _features, _train.Labels!, _observer, _schedule, ct) : null;
        var learner = new PartyLearner(_parameters, _resume?.Weights.ToArray() ?? InitialWeights(), _train.Columns, _resume?.Optimizer);
        int epochsRun = _resume?.EpochsCompleted ?? 0;
        bool converged = false;
        for (int epoch = epochsRun; epoch < _parameters.Epochs && !converged; epoch++)
        {
            converged = await EpochAsync(epoch, session, learner, ct);
            epochsRun = epoch + 1;
        }
        _observer.Finished(new TrainingSummary(_channel.Self, epochsRun, converged, clock.Elapsed.TotalSeconds, _channel.BytesSent));
        return Model(learner.Weights, epochsRun, converged);
    }

    private async Task<bool> EpochAsync(int epoch, CryptoSession? session, PartyLearner learner, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        long bytesBefore = _channel.BytesSent;
        var (decision, learningRate) = await EpochEnd.RunAsync(_channel, _roles.Arbiter, _parameters, _schedule, epoch, learner,
            (step, batchId, rows, rate, token) => _ckks is not null
                ? _ckks.BatchAsync(step, batchId, rows, learner, rate, token)
                : BatchAsync(step, rows, session!, learner, rate, token), ct);
        MetricSet? validation = null;
        if (ValidationPlan.Due(_validationEvery, _parameters.Epochs, epoch, decision.Stop) && _validation is not null)
            validation = await ValidateAsync(epoch, learner.Weights, ct);
        var checkpoint = learner.Checkpoint(epoch);
        _observer.EpochCompleted(new EpochReport(_channel.Self, epoch, learningRate, decision.HasLoss ? decision.Loss : null, validation,
            clock.Elapsed.TotalSeconds, _channel.BytesSent - bytesBefore, decision.Stop, checkpoint));
        return decision.Stop;
    }

    private async Task BatchAsync(Step step, int[] rows, CryptoSession session, PartyLearner learner,
        double learningRate, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        long bytesBefore = _channel.BytesSent;
        var guestScores = _features.Scores(rows, learner.Weights);
        var labels = rows.Select(r => TaylorLogistic.Signed(_train.Labels![r])).ToArray();
        // The guest's part of [[4d]] does not depend on the hosts: encrypt it while they encrypt theirs. With label DP it
        // is clipped and noised here, and everything after (hosts' gradients, the guest's own step) uses the noisy sum.
        var own = session.LabelEncryptor.EncryptBatch(_labelDp is not null
            ? _labelDp.NoisyResiduals(guestScores, labels)
            : Wire.FixedPoint(guestScores.Select((u, i) => u - 2 * labels[i]).ToArray(), _parameters.ValueBits));
        Ciphertext[][] hostScores = [];
        try
        {
            hostScores = await Task.WhenAll(_roles.Hosts.Select(async h =>
                Wire.Ciphertexts(session.Key, await _channel.ReceiveAsync<EncryptedVector>(h, step, ct))));
            if (hostScores.Any(s => s.Length != rows.Length))
                throw new InvalidOperationException($"Step {step}: a host sent a score count other than the batch's {rows.Length}.");
            var residuals = Residuals(session.Evaluator, hostScores, own);
            try
            {
                await _channel.BroadcastAsync(_roles.Hosts, Wire.Vector(residuals, _parameters.ValueBits), step, ct);
                if (_parameters.LossComputed(_roles.Hosts.Count))
                    await SendLossAsync(step, session, hostScores[0], guestScores, labels, learner.PenaltyLoss, ct);
                await learner.StepAsync(_channel, _roles.Arbiter, session, residuals, _features.Batch(rows), learningRate, step, ct);
            }
            finally
            {
                Wire.DisposeAll(residuals);
            }
        }
        finally
        {
            Wire.DisposeAll(own);
            foreach (var scores in hostScores)
                Wire.DisposeAll(scores);
        }
        _observer.BatchCompleted(new BatchReport(_channel.Self, step.Epoch, step.Batch, rows.Length, clock.Elapsed.TotalSeconds,
            _channel.BytesSent - bytesBefore));
    }

    /// <summary>
    /// [[4dᵢ]] = Σₖ[[u_k,i]] + [[u_g,i − 2yᵢ]] at value bits (4d = u − 2y, so no division under encryption).
    /// The guest's part <paramref name="own"/> is a fresh encryption, not a plaintext addition: that
    /// re-randomises [[d]], or a host could divide out its own [[u_k]] and read u_g − 2y, i.e. the labels.
    /// </summary>
    private static Ciphertext[] Residuals(PaillierEvaluator evaluator, Ciphertext[][] hostScores, Ciphertext[] own)
    {
        var residuals = new Ciphertext[own.Length];
        Parallel.For(0, residuals.Length, i => residuals[i] = hostScores.Length == 1
            ? evaluator.Add(hostScores[0][i], own[i])
            : evaluator.Sum([.. hostScores.Select(s => s[i]), own[i]]));
        return residuals;
    }

    /// <summary>
    /// Σᵢ ℓᵢ = Σᵢ [ln 2 − ½yᵢu_g,i + ⅛u_g,i²] + Σᵢ (¼u_g,i − ½yᵢ)·u_h,i + ⅛Σᵢu_h,i² (+ penalties), with u = u_g + u_h.
    /// The middle term is an inner product over [[u_h]] with coefficients quantised to 16 bits; the host
    /// sends the last term encrypted. Only the arbiter decrypts, and only this scalar.
    /// </summary>
    private async Task SendLossAsync(Step step, CryptoSession session, Ciphertext[] hostScores,
        double[] guestScores, double[] labels, double guestPenalty, CancellationToken ct)
    {
        int lossBits = _parameters.ValueBits + LossExtraBits;
        var coefficients = guestScores.Select((u, i) => 0.25 * u - 0.5 * labels[i]).ToArray();
        var (quantized, bits) = LossCoefficients.Quantize(coefficients, LossExtraBits);
        double plain = guestScores.Select((u, i) => Math.Log(2) - 0.5 * labels[i] * u + 0.125 * u * u).Sum() + guestScores.Length * guestPenalty;
        var evaluator = session.Evaluator;
        using var hostTerm = Wire.ScalarCiphertext(session.Key, await _channel.ReceiveAsync<EncryptedScalar>(_roles.Hosts[0], step, ct));
        using var cross = evaluator.InnerProduct(hostScores, quantized);
        using var crossScaled = evaluator.MultiplyPlain(cross, System.Numerics.BigInteger.One << (LossExtraBits - bits));
        using var withHost = evaluator.Add(crossScaled, hostTerm);
        using var own = session.LabelEncryptor.Encrypt(FixedPoint.Encode(plain, lossBits)); // fresh: re-randomises the sum
        using var total = evaluator.Add(withHost, own);
        await _channel.SendAsync(_roles.Arbiter, Wire.Scalar(total, lossBits), step, ct);
    }

    /// <summary>
    /// Declares the schedule and this guest's feature count; hears each host's verdict and feature count; tells
    /// hosts how often validation scores are due and the arbiter how long each party's gradient is. Returns the
    /// validation interval.
    /// </summary>
    private async Task<int> HandshakeAsync(CancellationToken ct)
    {
        var start = new TrainingStart
        {
            Seed = _parameters.Seed, Rows = _train.Rows, IdsDigest = Wire.Digest(_train.Ids),
            StartEpoch = _resume?.EpochsCompleted ?? 0, ValidationRows = _validation?.Rows ?? 0,
            ValidationIdsDigest = Wire.Digest(_validation?.Ids ?? []), GuestFeatures = _train.Columns,
        };
        await _channel.BroadcastAsync(_roles.Hosts, start, Step.None, ct);
        var replies = await Task.WhenAll(_roles.Hosts.Select(h => _channel.ReceiveAsync<TrainingReady>(h, ct)));
        string error = string.Join(" ", replies.Select((r, k) => r.Error.Length == 0 ? "" : $"host '{_roles.Hosts[k]}': {r.Error}").Where(e => e.Length > 0));
        if (error.Length == 0)
            error = CkksRefusal(replies.Select(r => r.Features).Prepend(_features.Columns).ToArray(), start.StartEpoch);
        int every = ValidationPlan.Every(_parameters, replies.Min(r => r.Features));
        await _channel.BroadcastAsync(_roles.Hosts, new TrainingReady { Error = error, ValidationEvery = every }, Step.None, ct);
        start.AbortReason = error;
        start.GradientLengths[_roles.Guest] = _features.Columns;
        for (int k = 0; k < _roles.Hosts.Count; k++)
            start.GradientLengths[_roles.Hosts[k]] = replies[k].Features;
        await _channel.SendAsync(_roles.Arbiter, Wire.WithoutIdDigests(start), ct);
        if (error.Length > 0)
            throw new BadInputException(error);
        return every;
    }

    /// <summary>CKKS only: the job's releases against its budget, then the guest's own columns against the modulus.</summary>
    private string CkksRefusal(int[] gradientLengths, int startEpoch)
    {
        if (_parameters.Encryption != EncryptionScheme.Ckks)
            return "";
        string budget = CkksReleasePlan.Refusal(_parameters, _roles.Hosts.Count, _train.Rows, startEpoch, gradientLengths);
        return budget.Length > 0 ? budget
            : CkksRanges.ColumnRefusal(_features, _train.FeatureNames, _schedule.BatchRows(0), _roles.DataParties.Count);
    }

    private async Task<MetricSet> ValidateAsync(int epoch, double[] weights, CancellationToken ct)
    {
        var validation = _validationFeatures!;
        var scores = validation.Scores(validation.AllRows, weights);
        foreach (string host in _roles.Hosts)
        {
            var partial = await _channel.ReceiveAsync<ValidationScores>(host, Step.Of(epoch), ct);
            if (partial.Scores.Count != scores.Length)
                throw new InvalidOperationException($"Host '{host}' sent {partial.Scores.Count} validation scores for {scores.Length} rows.");
            for (int i = 0; i < scores.Length; i++)
                scores[i] += partial.Scores[i];
        }
        var probabilities = scores.Select(TaylorLogistic.Sigmoid).ToArray();
        return MetricSet.Of(probabilities, _validation!.Labels!);
    }

    /// <summary>From this guest's CSPRNG whatever init says: weights a host could compute would leak the labels.</summary>
    private double[] InitialWeights() =>
        TestOnlyInitialWeights?.Invoke(_features.Columns) ?? GuestInitialWeights.Draw(_train.Columns, _parameters.FitIntercept);

    private GuestModelPart Model(double[] weights, int epochsRun, bool converged) => new(
        _train.FeatureNames, weights[.._train.Columns], _parameters.FitIntercept ? weights[^1] : 0, _scaler,
        new ModelMetadata(_channel.JobId, _roles.Guest, _roles.Hosts, _roles.Arbiter, _parameters.ToJson(), epochsRun, converged,
            DateTimeOffset.UtcNow));
}
