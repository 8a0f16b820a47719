using System.Diagnostics;
using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.Ckks;
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
        ITrainingObserver observer, CkksSession session, CkksColumns columns)
    {
        (_channel, _roles, _parameters, _features, _observer, _session, _columns) = (channel, roles, parameters, features, observer, session, columns);
    }

    /// <summary>
    /// Encodes this host's columns for the job's fixed batches (<see cref="CkksColumns.Prepare"/>): called during the
    /// handshake, before the host says it is ready, so the guest's first epoch does not wait for it.
    /// </summary>
    public static CkksColumns PrepareColumns(HeteroLrParameters parameters, PartyFeatures features, BatchSchedule schedule)
    {
        var columns = new CkksColumns(new CkksContext(CkksDefaults.Parameters()), features, parameters.FeatureBits, schedule);
        columns.Prepare();
        return columns;
    }

    public static async Task<CkksHostBatches> StartAsync(MeteredChannel channel, FederationRoles roles, HeteroLrParameters parameters,
        PartyFeatures features, ITrainingObserver observer, CkksColumns columns, CancellationToken ct)
    {
        var session = CkksSession.From(await channel.ReceiveAsync<CkksPublicKeyMessage>(roles.Arbiter, ct), parameters, roles.Arbiter, columns.Context);
        return new CkksHostBatches(channel, roles, parameters, features, observer, session, columns);
    }

    public async Task BatchAsync(Step step, int batchId, int[] rows, PartyLearner learner, double learningRate, CancellationToken ct)
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
        var columns = _columns.Of(batchId, rows);
        var sums = await CkksGradient.SumsAsync(_channel, _roles.Arbiter, _session, residuals, columns, rows.Length, step, ct);
        learner.StepFromSums(sums, rows.Length, learningRate);
        _observer.BatchCompleted(new BatchReport(_channel.Self, step.Epoch, step.Batch, rows.Length, clock.Elapsed.TotalSeconds,
            _channel.BytesSent - bytesBefore));
    }
}
