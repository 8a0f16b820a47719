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
public sealed partial class HorizontalArbiter(IPartyChannel channel, IReadOnlyList<string> clients, HorizontalParameters parameters)
{
    public IHorizontalObserver? Observer { get; init; }
    public IContributionSum Summer { get; init; } = new PlainSum();
    public HorizontalCheckpoint? ResumeFrom { get; init; }

    /// <summary>Clients a send failed to reach, with the reason: left out of every later round.</summary>
    private readonly Dictionary<string, string> _gone = new(StringComparer.Ordinal);

    public async Task<HorizontalArbiterResult> RunAsync(CancellationToken ct = default)
    {
        parameters.Validate();
        if (parameters.Mode != HorizontalMode.Sync)
            throw new ArgumentException($"mode: {parameters.Mode} jobs run on AsyncHorizontalArbiter (HorizontalArbiters.RunAsync picks).", nameof(parameters));
        int firstRound = (ResumeFrom?.Round ?? 0) + 1;
        RefuseTooFewForSecureAggregation();
        var schema = await ArbiterSetup.AgreeAsync(channel, clients, ct, firstRound);
        _classes = schema.Classes;
        var privacy = await ClientLevelDp.PlanOrRefuseAsync(channel, clients, parameters, schema, ct);
        var noise = privacy?.Settings.Level == PrivacyLevel.Client
            ? new LatticeMechanism(privacy.Settings, privacy.Clients[0].NoiseMultiplier, privacy.Clients[0].StepEpsilon) : null;
        var network = new DenseNetwork(schema.Columns.Length, schema.Classes, parameters.Hidden);
        var weights = ResumeFrom?.Weights ?? network.InitialParameters(parameters.Seed);
        if (weights.Length != network.ParameterCount)
            throw new HorizontalJobException($"the checkpoint has {weights.Length} parameters, the agreed model {network.ParameterCount}: the columns or the model changed since");
        var aggregator = new ServerAggregator(parameters.Aggregation, ResumeFrom?.ServerMoments);
        var history = new List<HorizontalRoundReport>();
        RoundSummary? previous = null;
        for (int round = firstRound; round <= parameters.Rounds; round++)
        {
            var report = await RoundAsync(round, weights, aggregator, previous, noise, ct);
            if (privacy is not null)
                report = report with { EpsilonSpent = privacy.EpsilonAfter(round) };
            weights = report.Weights;
            history.Add(report);
            previous = Summary(report);
            Observer?.OnRound(report);
        }
        var final = await FinishAsync(Step.Of(parameters.Rounds + 1), weights, previous, ct);
        var model = new HorizontalModel(schema.Columns, schema.Means, schema.Scales, schema.Classes, parameters.Hidden.ToArray(), weights);
        return new HorizontalArbiterResult(model, history, final, 0);
    }

    private async Task<HorizontalRoundReport> RoundAsync(int round, double[] weights, ServerAggregator aggregator, RoundSummary? previous,
        LatticeMechanism? noise, CancellationToken ct)
    {
        var selected = Participation.Select(clients, parameters.MaxParticipants, parameters.Seed, round);
        // A client the model cannot reach (its process is gone) is left out of this round like a late one, and is not
        // sent to again (each send would wait out the channel's retries); a late client rejoins with the next model.
        var unreachable = await SendEachAsync(clients.Where(c => !_gone.ContainsKey(c)), c => Model(round, weights, selected.Contains(c), previous), Step.Of(round), ct);
        foreach (var (client, reason) in _gone.Where(g => selected.Contains(g.Key)))
            unreachable.TryAdd(client, reason);
        foreach (var (client, reason) in unreachable)
            _gone.TryAdd(client, reason);
        if (parameters.SecureAggregation.Enabled)
            return await SecureRoundAsync(round, weights, selected.Where(c => !unreachable.ContainsKey(c)).ToHashSet(StringComparer.Ordinal), aggregator, ct);
        var arrived = await Participation.GatherAsync(channel, selected.Where(c => !unreachable.ContainsKey(c)), Step.Of(round), parameters.RoundDeadline, ct);
        foreach (var (client, reason) in unreachable.Where(u => selected.Contains(u.Key)))
            arrived[client] = new Arrival(null, reason);
        var leftOut = arrived.Where(a => a.Value.Error is not null).ToDictionary(a => a.Key, a => a.Value.Error!);
        var updates = arrived.Where(a => a.Value.Update is not null).ToDictionary(a => a.Key, a => a.Value.Update!);
        if (updates.Count < parameters.MinParticipants)
        {
            string Reason(Func<string, string> detail) =>
                $"round {round}: {updates.Count} of {selected.Count} selected clients sent an update, fewer than min_participants {parameters.MinParticipants}"
                + (leftOut.Count > 0 ? $" (left out: {string.Join("; ", leftOut.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}: {detail(l.Value)}"))})" : "");
            // The clients are not told an unreachable client's transport error; the arbiter's own failure keeps it.
            await AbortAsync(Step.Of(round + 1), Reason(Shared), ct);
            throw new HorizontalJobException(Reason(r => r));
        }
        var contributions = updates.Values.Select(u => new ClientContribution(u.Contribution.ToArray(), u.Weight, u.StepWeight)).ToList();
        var sum = Summer.Sum(contributions);
        var next = aggregator.Apply(weights, noise is null ? sum : ClientLevelDp.Noised(sum, noise));
        double trainLoss = updates.Values.Sum(u => u.TrainLossSum) / Math.Max(1, updates.Values.Sum(u => u.TrainRows));
        var validation = Validation.Pool(updates.Values.Select(u => u.Validation).Where(v => v is not null));
        return new HorizontalRoundReport(round, updates.Keys.Order().ToArray(), leftOut, trainLoss, validation, next, aggregator.Moments);
    }

    private async Task<PooledMetrics> FinishAsync(Step step, double[] weights, RoundSummary? previous, CancellationToken ct)
    {
        var unreachable = await SendEachAsync(clients.Where(c => !_gone.ContainsKey(c)), _ =>
        {
            var final = Model(step.Epoch, weights, selected: false, previous);
            final.Final = true;
            final.SummaryFollows = true;
            return final;
        }, step, ct);
        foreach (var (client, reason) in unreachable)
            _gone.TryAdd(client, reason);
        var reached = clients.Where(c => !_gone.ContainsKey(c)).ToList();
        var evaluations = await Participation.GatherFinalAsync(channel, reached, step, parameters.RoundDeadline, ct);
        var pooled = Validation.Pool(evaluations.Select(e => e.Validation).Where(v => v is not null));
        var summary = Summary(step.Epoch, double.NaN, pooled, reached, _gone);
        await SendEachAsync(reached, _ => summary, Step.Of(step.Epoch + 1), ct);
        return pooled;
    }

    private async Task AbortAsync(Step step, string reason, CancellationToken ct) =>
        await SendEachAsync(clients.Where(c => !_gone.ContainsKey(c)), _ => new GlobalModel { Round = step.Epoch, AbortReason = reason }, step, ct);

    /// <summary>Sends each client its message; returns the clients it could not reach, with the reason (the job goes on without them).</summary>
    private async Task<Dictionary<string, string>> SendEachAsync<T>(IEnumerable<string> to, Func<string, T> message, Step step, CancellationToken ct)
        where T : Google.Protobuf.IMessage<T>
    {
        var sends = to.ToDictionary(c => c, c => channel.SendAsync(c, message(c), step, ct));
        try
        {
            await Task.WhenAll(sends.Values);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            // Each failed send is reported below.
        }
        return sends.Where(s => s.Value.IsFaulted)
            .ToDictionary(s => s.Key, s => $"not reachable: {s.Value.Exception!.InnerException?.Message ?? s.Value.Exception.Message}");
    }

    private static RoundSummary Summary(HorizontalRoundReport report) =>
        Summary(report.Round, report.TrainLoss, report.Validation, report.Participants, report.LeftOut);

    private static RoundSummary Summary(int round, double trainLoss, PooledMetrics validation, IEnumerable<string> participants,
        IReadOnlyDictionary<string, string> leftOut)
    {
        var summary = new RoundSummary
        {
            Round = round, TrainLoss = trainLoss, ValidationRows = validation.Rows, ValidationLoss = validation.Loss,
            ValidationAccuracy = validation.Accuracy, HasAuc = validation.Auc is not null, ValidationAuc = validation.Auc ?? double.NaN,
        };
        summary.Participants.AddRange(participants.Order(StringComparer.Ordinal));
        summary.LeftOut.AddRange(leftOut.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}: {Shared(l.Value)}"));
        return summary;
    }

    /// <summary>Why a client was left out, as every client may read it: an unreachable client's transport error (its address) stays here.</summary>
    private static string Shared(string reason) =>
        reason.StartsWith("not reachable", StringComparison.Ordinal) ? "not reachable" : reason;

    /// <summary>A client's view of a round summary as pooled metrics.</summary>
    public static PooledMetrics Metrics(RoundSummary summary) =>
        new(summary.ValidationRows, summary.ValidationLoss, summary.ValidationAccuracy, summary.HasAuc ? summary.ValidationAuc : null);

    private static GlobalModel Model(int round, double[] weights, bool selected, RoundSummary? previous)
    {
        var model = new GlobalModel { Round = round, Selected = selected, Version = round - 1, Previous = previous };
        model.Weights.AddRange(weights);
        return model;
    }
}
