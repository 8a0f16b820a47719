using VerticalFL.Contracts.V1;
using VerticalFL.Ml.Horizontal;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Horizontal.Privacy;

namespace VerticalFL.Protocol.Horizontal;

/// <summary>One finished round (or, in async mode, one applied update or buffer), as the arbiter saw it.</summary>
public sealed record HorizontalRoundReport(
    int Round, IReadOnlyList<string> Participants, IReadOnlyDictionary<string, string> LeftOut, double TrainLoss,
    PooledMetrics Validation, double[] Weights, double[][]? ServerMoments, int RefusedStale = 0, double? EpsilonSpent = null);

public interface IHorizontalObserver
{
    void OnRound(HorizontalRoundReport report);
}

/// <summary>The arbiter's result: the global model, the per-round history and the final model's pooled metrics.</summary>
public sealed record HorizontalArbiterResult(HorizontalModel Model, IReadOnlyList<HorizontalRoundReport> Rounds, PooledMetrics Final, int RefusedStale);

/// <summary>Where a job resumes from: the last finished round's model and server optimiser state.</summary>
public sealed record HorizontalCheckpoint(int Round, double[] Weights, double[][]? ServerMoments);

/// <summary>
/// The arbiter of a synchronous horizontal job: each round it sends the global model to every client (the
/// selected ones train), waits up to the round deadline for updates, leaves out clients that failed or are late,
/// fails the job when fewer than <c>min_participants</c> updates arrived, and otherwise sums the contributions
/// and applies the aggregation rule. After the last round every client gets the final model and reports its
/// validation metrics on it.
/// </summary>
public sealed class HorizontalArbiter(IPartyChannel channel, IReadOnlyList<string> clients, HorizontalParameters parameters)
{
    public IHorizontalObserver? Observer { get; init; }
    public IContributionSum Summer { get; init; } = new PlainSum();
    public HorizontalCheckpoint? ResumeFrom { get; init; }

    public async Task<HorizontalArbiterResult> RunAsync(CancellationToken ct = default)
    {
        parameters.Validate();
        if (parameters.Mode != HorizontalMode.Sync)
            throw new ArgumentException($"mode: {parameters.Mode} jobs run on AsyncHorizontalArbiter (HorizontalArbiters.RunAsync picks).", nameof(parameters));
        var schema = await ArbiterSetup.AgreeAsync(channel, clients, ct);
        var privacy = await ClientLevelDp.PlanOrRefuseAsync(channel, clients, parameters, schema, ct);
        var noise = privacy?.Settings.Level == PrivacyLevel.Client
            ? new LatticeMechanism(privacy.Settings, privacy.Clients[0].NoiseMultiplier, privacy.Clients[0].StepEpsilon) : null;
        var network = new DenseNetwork(schema.Columns.Length, schema.Classes, parameters.Hidden);
        var weights = ResumeFrom?.Weights ?? network.InitialParameters(parameters.Seed);
        var aggregator = new ServerAggregator(parameters.Aggregation, ResumeFrom?.ServerMoments);
        var history = new List<HorizontalRoundReport>();
        int firstRound = (ResumeFrom?.Round ?? 0) + 1;
        for (int round = firstRound; round <= parameters.Rounds; round++)
        {
            var report = await RoundAsync(round, weights, aggregator, noise, ct);
            if (privacy is not null)
                report = report with { EpsilonSpent = privacy.EpsilonAfter(round) };
            weights = report.Weights;
            history.Add(report);
            Observer?.OnRound(report);
        }
        var final = await FinishAsync(Step.Of(parameters.Rounds + 1), weights, ct);
        var model = new HorizontalModel(schema.Columns, schema.Means, schema.Scales, schema.Classes, parameters.Hidden.ToArray(), weights);
        return new HorizontalArbiterResult(model, history, final, 0);
    }

    private async Task<HorizontalRoundReport> RoundAsync(int round, double[] weights, ServerAggregator aggregator, LatticeMechanism? noise,
        CancellationToken ct)
    {
        var selected = Participation.Select(clients, parameters.MaxParticipants, parameters.Seed, round);
        await Task.WhenAll(clients.Select(c => channel.SendAsync(c, Model(round, weights, selected.Contains(c)), Step.Of(round), ct)));
        var arrived = await Participation.GatherAsync(channel, selected, Step.Of(round), parameters.RoundDeadline, ct);
        var leftOut = arrived.Where(a => a.Value.Error is not null).ToDictionary(a => a.Key, a => a.Value.Error!);
        var updates = arrived.Where(a => a.Value.Update is not null).ToDictionary(a => a.Key, a => a.Value.Update!);
        if (updates.Count < parameters.MinParticipants)
        {
            string reason = $"round {round}: {updates.Count} of {selected.Count} selected clients sent an update, fewer than min_participants " +
                $"{parameters.MinParticipants}" + (leftOut.Count > 0 ? $" (left out: {string.Join("; ", leftOut.Select(l => $"{l.Key}: {l.Value}"))})" : "");
            await AbortAsync(Step.Of(round + 1), reason, ct);
            throw new HorizontalJobException(reason);
        }
        var contributions = updates.Values.Select(u => new ClientContribution(u.Contribution.ToArray(), u.Weight, u.StepWeight)).ToList();
        var sum = Summer.Sum(contributions);
        var next = aggregator.Apply(weights, noise is null ? sum : ClientLevelDp.Noised(sum, noise));
        double trainLoss = updates.Values.Sum(u => u.TrainLossSum) / Math.Max(1, updates.Values.Sum(u => u.TrainRows));
        var validation = Validation.Pool(updates.Values.Select(u => u.Validation).Where(v => v is not null));
        return new HorizontalRoundReport(round, updates.Keys.Order().ToArray(), leftOut, trainLoss, validation, next, aggregator.Moments);
    }

    private async Task<PooledMetrics> FinishAsync(Step step, double[] weights, CancellationToken ct)
    {
        var final = Model(step.Epoch, weights, selected: false);
        final.Final = true;
        await channel.BroadcastAsync(clients, final, step, ct);
        var evaluations = await Participation.GatherFinalAsync(channel, clients, step, parameters.RoundDeadline, ct);
        return Validation.Pool(evaluations.Select(e => e.Validation).Where(v => v is not null));
    }

    private Task AbortAsync(Step step, string reason, CancellationToken ct) =>
        channel.BroadcastAsync(clients, new GlobalModel { Round = step.Epoch, AbortReason = reason }, step, ct);

    private static GlobalModel Model(int round, double[] weights, bool selected)
    {
        var model = new GlobalModel { Round = round, Selected = selected, Version = round - 1 };
        model.Weights.AddRange(weights);
        return model;
    }
}
