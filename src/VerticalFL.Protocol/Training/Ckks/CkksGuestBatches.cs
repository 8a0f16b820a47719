using System.Diagnostics;
using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.Ckks;
using VerticalFL.Ml.Data;
using VerticalFL.Ml.Training;
using VerticalFL.Protocol.Channels;

namespace VerticalFL.Protocol.Training;

/// <summary>
/// The guest's mini-batch under CKKS: [[4d]] = Σₖ[[u_k]] + [[u_g − 2y]] per block of 4096 rows (its own part a fresh
/// encryption, so the sum is re-randomised), sent to the hosts; the loss as one coefficient-0 request the arbiter
/// reads; its own gradient through <see cref="CkksGradient"/>.
/// </summary>
internal sealed class CkksGuestBatches
{
    private readonly MeteredChannel _channel;
    private readonly FederationRoles _roles;
    private readonly HeteroLrParameters _parameters;
    private readonly PartyFeatures _features;
    private readonly IReadOnlyList<double> _labels;
    private readonly ITrainingObserver _observer;
    private readonly CkksSession _session;
    private readonly CkksColumns _columns;

    private CkksGuestBatches(MeteredChannel channel, FederationRoles roles, HeteroLrParameters parameters, PartyFeatures features,
        IReadOnlyList<double> labels, ITrainingObserver observer, CkksSession session, CkksColumns columns)
    {
        (_channel, _roles, _parameters, _features, _labels, _observer, _session, _columns) = (channel, roles, parameters, features, labels, observer, session, columns);
    }

    public static async Task<CkksGuestBatches> StartAsync(MeteredChannel channel, FederationRoles roles, HeteroLrParameters parameters,
        PartyFeatures features, IReadOnlyList<double> labels, ITrainingObserver observer, BatchSchedule schedule, CancellationToken ct)
    {
        // The columns first: the parameters are the job's fixed ones, so encoding overlaps the arbiter's key generation.
        var columns = new CkksColumns(new CkksContext(CkksDefaults.Parameters()), features, parameters.FeatureBits, schedule);
        columns.Prepare();
        var session = CkksSession.From(await channel.ReceiveAsync<CkksPublicKeyMessage>(roles.Arbiter, ct), parameters, roles.Arbiter, columns.Context);
        return new CkksGuestBatches(channel, roles, parameters, features, labels, observer, session, columns);
    }

    public async Task BatchAsync(Step step, int batchId, int[] rows, PartyLearner learner, double learningRate, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        long bytesBefore = _channel.BytesSent;
        var guestScores = _features.Scores(rows, learner.Weights);
        var labels = rows.Select(r => TaylorLogistic.Signed(_labels[r])).ToArray();
        var own = CkksRanges.Scores(guestScores.Select((u, i) => u - 2 * labels[i]).ToArray(), CkksDefaults.ScoreLimit + 2, "the guest's u − 2y");
        var ownEncrypted = _session.EncryptBlocks(own);
        int blocks = ownEncrypted.Length;
        var hostScores = await Task.WhenAll(_roles.Hosts.Select(async h =>
            CkksWire.Unpack(await _channel.ReceiveAsync<CkksCiphertexts>(h, step, ct), _session.Parameters, blocks, $"Step {step}: host '{h}' scores")));
        var residuals = new Ciphertext[blocks];
        for (int b = 0; b < blocks; b++)
        {
            var sum = ownEncrypted[b];
            foreach (var scores in hostScores)
                sum = _session.Evaluator.Add(sum, scores[b]);
            residuals[b] = sum;
        }
        await _channel.BroadcastAsync(_roles.Hosts, CkksWire.Pack(residuals, rows.Length), step, ct);
        if (_parameters.LossComputed(_roles.Hosts.Count))
            await SendLossAsync(step, hostScores[0], guestScores, labels, learner.PenaltyLoss, ct);
        var columns = _columns.Of(batchId, rows);
        var sums = await CkksGradient.SumsAsync(_channel, _roles.Arbiter, _session, residuals, columns, rows.Length, step, ct);
        learner.StepFromSums(sums, rows.Length, learningRate);
        _observer.BatchCompleted(new BatchReport(_channel.Self, step.Epoch, step.Batch, rows.Length, clock.Elapsed.TotalSeconds,
            _channel.BytesSent - bytesBefore));
    }

    /// <summary>
    /// Σᵢ ℓᵢ = Σᵢ[ln 2 − ½yᵢu_g,i + ⅛u_g,i²] + Σᵢ(¼u_g,i − ½yᵢ)·u_h,i + ⅛Σᵢu_h,i² (+ penalties): the cross term by
    /// multiply-accumulate over the host's [[u_h]] blocks, the host's term as it encrypted it, the guest's own as a
    /// fresh encryption; all at Δ_d·Δ_x, read by the arbiter from coefficient 0.
    /// </summary>
    private async Task SendLossAsync(Step step, Ciphertext[] hostScores, double[] guestScores, double[] labels, double guestPenalty,
        CancellationToken ct)
    {
        var hostTerm = CkksWire.Unpack(await _channel.ReceiveAsync<CkksCiphertexts>(_roles.Hosts[0], step, ct), _session.Parameters, 1,
            $"Step {step}: host '{_roles.Hosts[0]}' loss term")[0];
        var coefficients = guestScores.Select((u, i) => 0.25 * u - 0.5 * labels[i]).ToArray();
        var accumulator = new CiphertextAccumulator(_session.Context, _session.Context.FirstParmsId);
        for (int b = 0; b < hostScores.Length; b++)
        {
            int start = b * CkksDefaults.SlotsPerCiphertext;
            int length = Math.Min(CkksDefaults.SlotsPerCiphertext, coefficients.Length - start);
            accumulator.MultiplyPlainAdd(hostScores[b], _session.Encoder.Encode(coefficients.AsSpan(start, length), CkksSession.FeatureScale));
        }
        double plain = guestScores.Select((u, i) => Math.Log(2) - 0.5 * labels[i] * u + 0.125 * u * u).Sum() + guestScores.Length * guestPenalty;
        var total = _session.Evaluator.Add(_session.Evaluator.Add(accumulator.ToCiphertext(), hostTerm), _session.EncryptSlotSumTerm(plain));
        var (request, _) = Coefficient0Release.Split(_session.Context, total, masked: false);
        await _channel.SendAsync(_roles.Arbiter, new CkksLossRequest { Request = CkksWire.Request([request], guestScores.Length) }, step, ct);
    }
}
