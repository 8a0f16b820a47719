using VerticalFL.Contracts.V1;
using VerticalFL.Ml.Data;
using VerticalFL.Ml.Horizontal;
using VerticalFL.Ml.Training;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Horizontal.Privacy;

namespace VerticalFL.Protocol.Horizontal;

/// <summary>The arbiter refused or stopped the job; the message says why (e.g. the column mismatch).</summary>
public sealed class HorizontalJobException(string message) : InvalidOperationException(message);

/// <summary>What a client ends with: the global model and the final model's metrics on its own validation rows.
/// <see cref="Pooled"/>: the final model's metrics over every client's validation rows, when the arbiter sent them.</summary>
public sealed record HorizontalClientResult(HorizontalModel Model, int Updates, PooledMetrics LocalValidation, PooledMetrics? Pooled = null);

/// <summary>
/// A data party in a horizontal job (guest or host alike). Before round 1 it sends its columns and column sums,
/// then its squared deviations from the agreed means, and standardises with the agreed statistics. Then, for
/// every model the arbiter sends (step k = 1, 2, …), it trains locally when selected and sends its weighted
/// update in the same step, until the final model arrives. The loop is the same in synchronous and
/// asynchronous jobs: only the arbiter's pacing differs.
/// </summary>
public sealed partial class HorizontalClient(IPartyChannel channel, string arbiter, HorizontalParameters parameters, Dataset data)
{
    /// <summary>Slows local training (simulated slow clients in benchmarks and tests); called once per update.</summary>
    public Func<int, CancellationToken, Task>? BeforeUpdate { get; init; }

    /// <summary>Called with each finished round's pooled figures as the arbiter shares them, and last with the final model's.</summary>
    public Action<RoundSummary>? OnRound { get; init; }

    public async Task<HorizontalClientResult> RunAsync(CancellationToken ct = default)
    {
        if (data.Labels is null)
            throw new BadInputException("a horizontal client's data needs a label column.");
        var (trainRows, validationRows) = SplitRows();
        var (means, scales, classes, firstRound) = await AgreeScalingAsync(trainRows, ct);
        var features = Standardization.Apply(data.Values, means, scales);
        var network = new DenseNetwork(data.Columns, classes, parameters.Hidden);
        ILocalTrainer trainer = parameters.Privacy?.Level == PrivacyLevel.Record
            ? new DpSgdTrainer(network, parameters) : new LocalTrainer(network, parameters);
        int updates = 0;
        for (int k = firstRound; ; k++)
        {
            var model = await channel.ReceiveAsync<GlobalModel>(arbiter, Step.Of(k), ct);
            if (model.AbortReason.Length > 0)
                throw new HorizontalJobException(model.AbortReason);
            if (model.Previous is { } previous)
                OnRound?.Invoke(previous);
            var validation = Validation.Evaluate(network, model.Weights.ToArray(), features, data.Labels, validationRows, parameters.AucBins);
            if (model.Final)
            {
                await channel.SendAsync(arbiter, new FinalEvaluation { Validation = validation }, Step.Of(k), ct);
                var global = new HorizontalModel(data.FeatureNames.ToArray(), means, scales, classes, parameters.Hidden.ToArray(), model.Weights.ToArray());
                PooledMetrics? pooled = null;
                if (model.SummaryFollows)
                {
                    var summary = await channel.ReceiveAsync<RoundSummary>(arbiter, Step.Of(k + 1), ct);
                    OnRound?.Invoke(summary);
                    pooled = HorizontalArbiter.Metrics(summary);
                }
                return new HorizontalClientResult(global, updates, Validation.Pool([validation]), pooled);
            }
            if (!model.Selected)
                continue;
            if (BeforeUpdate is not null)
                await BeforeUpdate(k, ct);
            var update = Train(trainer, model, features, trainRows, k);
            update.Validation = validation;
            if (parameters.SecureAggregation.Enabled)
            {
                if (await SecureUpdateAsync(update, classes, k, ct))
                    updates++;
                continue;
            }
            await channel.SendAsync(arbiter, update, Step.Of(k), ct);
            updates++;
        }
    }

    private ClientUpdate Train(ILocalTrainer trainer, GlobalModel model, double[] features, int[] trainRows, int k)
    {
        var global = model.Weights.ToArray();
        var local = trainer.Train(global, features, data.Labels, trainRows, BatchSeed(k));
        var delta = new double[global.Length];
        for (int i = 0; i < delta.Length; i++)
            delta[i] = local.Weights[i] - global[i];
        var contribution = ClientLevelDp.Contribution(parameters, delta, local.Rows, local.LocalSteps);
        var update = new ClientUpdate
        {
            Round = model.Round, Weight = contribution.Weight, StepWeight = contribution.StepWeight, LocalSteps = local.LocalSteps,
            TrainLossSum = local.LastEpochLossSum, TrainRows = local.Rows, BaseVersion = model.Version,
        };
        update.Contribution.AddRange(contribution.Vector);
        return update;
    }

    private async Task<(double[] Means, double[] Scales, int Classes, int FirstRound)> AgreeScalingAsync(int[] trainRows, CancellationToken ct)
    {
        var hello = new HorizontalHello { Rows = trainRows.Length, MaxLabel = (int)data.Labels!.Max() };
        hello.Columns.AddRange(data.FeatureNames);
        hello.ColumnSums.AddRange(ColumnSums(trainRows, null));
        await channel.SendAsync(arbiter, hello, ct);
        var setup = await channel.ReceiveAsync<HorizontalSetup>(arbiter, ct);
        if (setup.Error.Length > 0)
            throw new HorizontalJobException(setup.Error);
        var means = setup.Means.ToArray();
        var spread = new HorizontalSpread();
        spread.SquaredDeviations.AddRange(ColumnSums(trainRows, means));
        await channel.SendAsync(arbiter, spread, ct);
        var scaling = await channel.ReceiveAsync<HorizontalScaling>(arbiter, ct);
        return (means, scaling.Scales.ToArray(), setup.Classes, Math.Max(1, setup.FirstRound));
    }

    /// <summary>Per column Σx over the rows, or Σ(x − mean)² when means are given.</summary>
    private double[] ColumnSums(int[] rows, double[]? means)
    {
        var sums = new double[data.Columns];
        foreach (int r in rows)
        {
            var row = data.Row(r);
            for (int c = 0; c < sums.Length; c++)
            {
                double x = means is null ? row[c] : row[c] - means[c];
                sums[c] += means is null ? x : x * x;
            }
        }
        return sums;
    }

    /// <summary>A seeded local hold-out of <c>validation_fraction</c> of the rows (at least one row stays for training).</summary>
    private (int[] Train, int[] Validation) SplitRows()
    {
        var random = new DeterministicRandom(parameters.Seed, PartyStream());
        var order = Enumerable.Range(0, data.Rows).ToArray();
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        int validation = Math.Min(data.Rows - 1, (int)(data.Rows * parameters.ValidationFraction));
        return (order[validation..].Order().ToArray(), order[..validation].Order().ToArray());
    }

    private long BatchSeed(int k) => parameters.Seed ^ unchecked((PartyStream() * 31 + k) * (long)0x9E3779B97F4A7C15UL);

    /// <summary>FNV-1a of the party id: a stable stream number (string.GetHashCode differs per process).</summary>
    private long PartyStream()
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in channel.Self)
            hash = (hash ^ c) * 1099511628211UL;
        return (long)(hash >> 1);
    }
}
