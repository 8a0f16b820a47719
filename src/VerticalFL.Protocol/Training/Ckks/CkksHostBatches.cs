using System.Diagnostics;
using VerticalFL.Contracts.V1;
using VerticalFL.Ml.Training;
using VerticalFL.Protocol.Channels;

namespace VerticalFL.Protocol.Training;

/// <summary>
/// A host's mini-batch under CKKS: [[u_k]] in blocks of 4096 rows to the guest (and, when the loss is computed, its
/// loss term [[⅛Σu² + B·penalty]]); then its gradient from the guest's [[4d]] through <see cref="CkksGradient"/>.
/// </summary>
internal sealed class CkksHostBatches
{
    private readonly MeteredChannel _channel;
    private readonly FederationRoles _roles;
    private readonly HeteroLrParameters _parameters;
    private readonly PartyFeatures _features;
    private readonly ITrainingObserver _observer;
    private readonly CkksSession _session;
    private readonly CkksColumns _columns;

    private CkksHostBatches(MeteredChannel channel, FederationRoles roles, HeteroLrParameters parameters, PartyFeatures features,
        ITrainingObserver observer, CkksSession session, bool cacheColumns)
    {
        (_channel, _roles, _parameters, _features, _observer, _session) = (channel, roles, parameters, features, observer, session);
        _columns = new CkksColumns(session, parameters.FeatureBits, cacheColumns);
    }

    public static async Task<CkksHostBatches> StartAsync(MeteredChannel channel, FederationRoles roles, HeteroLrParameters parameters,
        PartyFeatures features, ITrainingObserver observer, BatchSchedule schedule, CancellationToken ct)
    {
        var session = CkksSession.From(await channel.ReceiveAsync<CkksPublicKeyMessage>(roles.Arbiter, ct), parameters, roles.Arbiter);
        return new CkksHostBatches(channel, roles, parameters, features, observer, session, schedule.BatchesPerEpoch == 1);
    }

    public async Task BatchAsync(Step step, int[] rows, PartyLearner learner, double learningRate, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        long bytesBefore = _channel.BytesSent;
        var scores = CkksRanges.Scores(_features.Scores(rows, learner.Weights), CkksDefaults.ScoreLimit, $"host '{_channel.Self}' score");
        var encrypted = _session.EncryptBlocks(scores);
        await _channel.SendAsync(_roles.Guest, CkksWire.Pack(encrypted, rows.Length), step, ct);
        if (_parameters.LossComputed(_roles.Hosts.Count))
        {
            double term = 0.125 * scores.Sum(u => u * u) + scores.Length * learner.PenaltyLoss;
            await _channel.SendAsync(_roles.Guest, CkksWire.Pack([_session.EncryptSlotSumTerm(term)], 1), step, ct);
        }
        var residuals = CkksWire.Unpack(await _channel.ReceiveAsync<CkksCiphertexts>(_roles.Guest, step, ct), _session.Parameters,
            encrypted.Length, $"Step {step}: the guest's residuals");
        var columns = _columns.Of(step.Batch, _features.Batch(rows));
        var sums = await CkksGradient.SumsAsync(_channel, _roles.Arbiter, _session, residuals, columns, rows.Length, step, ct);
        learner.StepFromSums(sums, rows.Length, learningRate);
        _observer.BatchCompleted(new BatchReport(_channel.Self, step.Epoch, step.Batch, rows.Length, clock.Elapsed.TotalSeconds,
            _channel.BytesSent - bytesBefore));
    }
}
