using System.Diagnostics;
using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.Encoding;
using VerticalFL.Crypto.Paillier;
using VerticalFL.Ml.Data;
using VerticalFL.Ml.Optimization;
using VerticalFL.Ml.Preprocessing;
using VerticalFL.Ml.Training;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Models;

namespace VerticalFL.Protocol.Training;

/// <summary>
/// A host's side of hetero LR: sends its encrypted partial scores [[u_k]], turns the guest's [[d]] into
/// its own gradient and steps its own weights. It never sees labels, residuals or the loss.
/// </summary>
public sealed class HostTrainer
{
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
    private readonly int _partyIndex;
    private readonly HostTrainingPolicy _policy;
    private CkksHostBatches? _ckks;
    private CkksColumns? _ckksColumns;

    /// <param name="train">The host's rows: the same ids in the same order as the guest's.</param>
    /// <param name="policy">This host's own limits (its party configuration); <see cref="HostTrainingPolicy.Default"/> if null.</param>
    public HostTrainer(IPartyChannel channel, FederationRoles roles, HeteroLrParameters parameters, Dataset train,
        Dataset? validation = null, PartyCheckpoint? resume = null, ITrainingObserver? observer = null, HostTrainingPolicy? policy = null)
    {
        _policy = policy ?? HostTrainingPolicy.Default;
        ArgumentNullException.ThrowIfNull(train);
        _parameters = parameters.Validate(roles.Hosts.Count);
        _partyIndex = 1 + roles.Hosts.ToList().IndexOf(channel.Self);
        if (_partyIndex == 0)
            throw new ArgumentException($"Party '{channel.Self}' is not a host of this job.", nameof(channel));
        if (validation is not null && validation.Columns != train.Columns)
            throw new ArgumentException($"validation: {validation.Columns} columns, the training data has {train.Columns}.", nameof(validation));
        _channel = new MeteredChannel(channel);
        _roles = roles;
        _train = train;
        _validation = validation;
        _resume = resume;
        _observer = observer ?? NullTrainingObserver.Instance;
        (_scaler, _features, _validationFeatures) = PartyFeatures.Prepare(train, validation, parameters, interceptColumn: false);
        if (resume is not null && resume.Weights.Length != train.Columns)
            throw new ArgumentException($"resume: the checkpoint has {resume.Weights.Length} weights, this host needs {train.Columns}.", nameof(resume));
    }

    /// <summary>Test-only: sees this host's unmasked gradient sums, as a curious host would record them.</summary>
    internal Action<Step, System.Numerics.BigInteger[]>? GradientTap { get; init; }

    public async Task<HostModelPart> TrainAsync(CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var (start, validationEvery) = await HandshakeAsync(ct);
        var schedule = _parameters.ScheduleOver(start.Rows, start.Seed);
        bool ckks = _parameters.Encryption == EncryptionScheme.Ckks;
        var session = ckks ? null : CryptoSession.From(await _channel.ReceiveAsync<PaillierPublicKeyMessage>(_roles.Arbiter, ct), _parameters, _roles.Arbiter);
        _ckks = ckks ? await CkksHostBatches.StartAsync(_channel, _roles, _parameters, _features, _observer, _ckksColumns!, ct) : null;
        var initial = _resume?.Weights.ToArray() ?? WeightInit.Create(_parameters.Init, _train.Columns, _parameters.Seed, _partyIndex);
        var learner = new PartyLearner(_parameters, initial, _train.Columns, _resume?.Optimizer) { GradientTap = GradientTap };
        int epochsRun = start.StartEpoch;
        bool converged = false;
        for (int epoch = start.StartEpoch; epoch < _parameters.Epochs && !converged; epoch++)
        {
            converged = await EpochAsync(epoch, session, schedule, learner, start.ValidationRows > 0 ? validationEvery : 0, ct);
            epochsRun = epoch + 1;
        }
        _observer.Finished(new TrainingSummary(_channel.Self, epochsRun, converged, clock.Elapsed.TotalSeconds, _channel.BytesSent));
        return new HostModelPart(_train.FeatureNames, learner.Weights, _scaler, _channel.JobId, _roles.Guest, DateTimeOffset.UtcNow);
    }

    private async Task<bool> EpochAsync(int epoch, CryptoSession? session, BatchSchedule schedule, PartyLearner learner, int validationEvery,
        CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        long bytesBefore = _channel.BytesSent;
        var (decision, learningRate) = await EpochEnd.RunAsync(_channel, _roles.Arbiter, _parameters, schedule, epoch, learner,
            (step, batchId, rows, rate, token) => _ckks is not null
                ? _ckks.BatchAsync(step, batchId, rows, learner, rate, token)
                : BatchAsync(step, rows, session!, learner, rate, token), ct);
        if (ValidationPlan.Due(validationEvery, _parameters.Epochs, epoch, decision.Stop))
            await SendValidationScoresAsync(epoch, learner.Weights, ct);
        var checkpoint = learner.Checkpoint(epoch);
        _observer.EpochCompleted(new EpochReport(_channel.Self, epoch, learningRate, Loss: null, Validation: null,
            clock.Elapsed.TotalSeconds, _channel.BytesSent - bytesBefore, decision.Stop, checkpoint));
        return decision.Stop;
    }

    private async Task BatchAsync(Step step, int[] rows, CryptoSession session, PartyLearner learner, double learningRate, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        long bytesBefore = _channel.BytesSent;
        var scores = _features.Scores(rows, learner.Weights);
        var encrypted = session.Encryptor.EncryptBatch(Wire.FixedPoint(scores, _parameters.ValueBits));
        try
        {
            await _channel.SendAsync(_roles.Guest, Wire.Vector(encrypted, _parameters.ValueBits), step, ct);
        }
        finally
        {
            Wire.DisposeAll(encrypted);
        }
        if (_parameters.LossComputed(_roles.Hosts.Count))
            await SendLossTermAsync(step, session.Encryptor, scores, learner.PenaltyLoss, ct);

        var residuals = Wire.Ciphertexts(session.Key, await _channel.ReceiveAsync<EncryptedVector>(_roles.Guest, step, ct));
        try
        {
            if (residuals.Length != rows.Length)
                throw new InvalidOperationException($"Step {step}: the guest sent {residuals.Length} residuals for a batch of {rows.Length}.");
            await learner.StepAsync(_channel, _roles.Arbiter, session, residuals, _features.Batch(rows), learningRate, step, ct);
        }
        finally
        {
            Wire.DisposeAll(residuals);
        }
        _observer.BatchCompleted(new BatchReport(_channel.Self, step.Epoch, step.Batch, rows.Length, clock.Elapsed.TotalSeconds,
            _channel.BytesSent - bytesBefore));
    }

    /// <summary>[[⅛·Σu_h² + B·penalty_h]]: the host's own terms of the batch loss, for the guest to add in.</summary>
    private async Task SendLossTermAsync(Step step, PaillierEncryptor encryptor, double[] scores, double penalty, CancellationToken ct)
    {
        int bits = _parameters.ValueBits + GuestTrainer.LossExtraBits;
        double term = 0.125 * scores.Sum(u => u * u) + scores.Length * penalty;
        using var encrypted = encryptor.Encrypt(FixedPoint.Encode(term, bits));
        await _channel.SendAsync(_roles.Guest, Wire.Scalar(encrypted, bits), step, ct);
    }

    private async Task SendValidationScoresAsync(int epoch, double[] weights, CancellationToken ct)
    {
        var message = new ValidationScores();
        message.Scores.AddRange(_validationFeatures!.Scores(_validationFeatures.AllRows, weights));
        await _channel.SendAsync(_roles.Guest, message, Step.Of(epoch), ct);
    }

    /// <summary>
    /// Checks the guest's schedule against this host's rows and limits and answers; a refusal stops the job
    /// everywhere. Returns the schedule and the validation interval the guest chose (checked here too).
    /// </summary>
    private async Task<(TrainingStart Start, int ValidationEvery)> HandshakeAsync(CancellationToken ct)
    {
        var start = await _channel.ReceiveAsync<TrainingStart>(_roles.Guest, ct);
        string error = Mismatch(start);
        if (error.Length == 0 && _parameters.Encryption == EncryptionScheme.Ckks)
            _ckksColumns = CkksHostBatches.PrepareColumns(_parameters, _features, _parameters.ScheduleOver(start.Rows, start.Seed));
        await _channel.SendAsync(_roles.Guest, new TrainingReady { Error = error, Features = _train.Columns }, ct);
        var verdict = await _channel.ReceiveAsync<TrainingReady>(_roles.Guest, ct);
        if (error.Length > 0 || verdict.Error.Length > 0)
            throw new BadInputException(error.Length > 0 ? error : verdict.Error);
        if (start.ValidationRows > 0 && ValidationPlan.Refusal(_channel.Self, verdict.ValidationEvery, _parameters.Epochs, _train.Columns) is { Length: > 0 } refusal)
            throw new BadInputException(refusal);
        return (start, verdict.ValidationEvery);
    }

    private string Mismatch(TrainingStart start)
    {
        if (start.Rows != _train.Rows)
            return $"rows: the guest has {start.Rows} training rows, this host {_train.Rows}.";
        if (start.IdsDigest != Wire.Digest(_train.Ids))
            return "ids: the guest's training ids differ from this host's (same ids in the same order are required).";
        if (PartyCheckpoint.EpochMismatch(start.StartEpoch, _resume, "this host") is { } resumeError)
            return resumeError;
        if (start.ValidationRows > 0 && (_validation is null || start.ValidationIdsDigest != Wire.Digest(_validation.Ids)))
            return $"validation: the guest validates on {start.ValidationRows} rows this host does not hold in the same order.";
        var schedule = _parameters.ScheduleOver(start.Rows, start.Seed);
        string floor = BatchFloor.Refusal(_channel.Self, _policy, schedule.SmallestBatch, _train.Columns, start.GuestFeatures);
        if (floor.Length > 0 || _parameters.Encryption != EncryptionScheme.Ckks)
            return floor;
        return CkksRanges.ColumnRefusal(_features, _train.FeatureNames, schedule.BatchRows(0), _roles.DataParties.Count);
    }
}
