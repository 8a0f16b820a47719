using VerticalFL.Contracts.V1;
using VerticalFL.Ml.Horizontal;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Horizontal.Privacy;

namespace VerticalFL.Protocol.Horizontal;

/// <summary>
/// The arbiter of an asynchronous horizontal job (mode fedasync or fedbuff; docs/protocol/horizontal.md). Every client
/// gets the current global model and trains at its own pace; whenever an update arrives the arbiter hands it to
/// <see cref="AsyncAggregator"/> (mixed at once, buffered, or refused as too stale) and sends that client the then
/// current model, so fast clients contribute more often and slow ones contribute staler updates. Each client has its
/// own step counter (its k-th model is step k), which is what <see cref="HorizontalClient"/> expects, so the client
/// code is the same as in synchronous jobs.
/// </summary>
/// <remarks>
/// The job ends when the model reached its target version (<see cref="HorizontalParameters.AsyncVersions"/>) or, with
/// record-level privacy, when every client has trained <c>rounds</c> times (its budget; reports carry the ε spent); every
/// client then receives the final model and reports its validation metrics, as in a synchronous job. A client that
/// fails or sends nothing within <c>round_deadline_seconds</c> of receiving a model is left out for the rest of the
/// job (named in the next report); fewer than <c>min_participants</c> remaining clients fail the job.
/// </remarks>
public sealed class AsyncHorizontalArbiter(IPartyChannel channel, IReadOnlyList<string> clients, HorizontalParameters parameters)
{
    public IHorizontalObserver? Observer { get; init; }
    public IContributionSum Summer { get; init; } = new PlainSum();
    /// <summary>Resumes from a checkpoint; its <see cref="HorizontalCheckpoint.Round"/> is the model version.</summary>
    public HorizontalCheckpoint? ResumeFrom { get; init; }
    /// <summary>Called with every update the arbiter received and what it did with it (benchmarks: staleness seen).</summary>
    public Action<string, AsyncOutcome>? OnUpdate { get; init; }

    public async Task<HorizontalArbiterResult> RunAsync(CancellationToken ct = default)
    {
        parameters.Validate();
        if (parameters.Mode == HorizontalMode.Sync)
            throw new ArgumentException("mode: sync jobs run on HorizontalArbiter.", nameof(parameters));
        var schema = await ArbiterSetup.AgreeAsync(channel, clients, ct);
        // Record-level DP: each client trains at most `rounds` times (its own DP-SGD trainer refuses more), so the
        // arbiter stops sending it models after that many, and ε is accounted per client from its trainings.
        var privacy = await ClientLevelDp.PlanOrRefuseAsync(channel, clients, parameters, schema, ct);
        var trainings = new int[clients.Count];
        var network = new DenseNetwork(schema.Columns.Length, schema.Classes, parameters.Hidden);
        var server = new AsyncAggregator(parameters, ResumeFrom?.Weights ?? network.InitialParameters(parameters.Seed),
            ResumeFrom?.Round ?? 0, ResumeFrom?.ServerMoments) { Summer = Summer };
        int target = parameters.AsyncVersions(clients.Count);
        var steps = clients.ToDictionary(c => c, _ => 0);
        var active = clients.ToHashSet();
        var pending = new Dictionary<Task<Arrival>, string>();
        var history = new List<HorizontalRoundReport>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);

        async Task DispatchAsync(string client)
        {
            if (privacy is not null && trainings[IndexOf(client)] >= parameters.Rounds)
                return;   // its budget is spent: it waits for the final model
            int k = ++steps[client];
            var model = new GlobalModel { Round = server.Version + 1, Selected = true, Version = server.Version };
            model.Weights.AddRange(server.Weights);
            await channel.SendAsync(client, model, Step.Of(k), ct);
            pending[ReceiveAsync(client, k, stop.Token)] = client;
        }

        foreach (var client in clients)
            await DispatchAsync(client);
        while (server.Version < target && pending.Count > 0)
        {
            var done = await Task.WhenAny(pending.Keys);
            string client = pending[done];
            pending.Remove(done);
            var arrival = await done;
            AsyncOutcome? outcome = null;
            if (arrival.Update is not null)
            {
                trainings[IndexOf(client)]++;
                try
                {
                    outcome = server.Offer(client, arrival.Update);
                }
                catch (HorizontalJobException malformed)   // a base version never sent, a wrong length: the client is left out
                {
                    arrival = new Arrival(null, $"malformed update: {malformed.Message}");
                }
            }
            if (outcome is null)
            {
                active.Remove(client);
                server.LeaveOut(client, arrival.Error!);
                if (active.Count < parameters.MinParticipants)
                {
                    string reason = $"model version {server.Version}: {client} left ({arrival.Error}); {active.Count} clients remain, fewer than " +
                        $"min_participants {parameters.MinParticipants}";
                    stop.Cancel();
                    await Task.WhenAll(pending.Keys);
                    await Task.WhenAll(clients.Select(c => channel.SendAsync(c, new GlobalModel { Round = server.Version + 1, AbortReason = reason },
                        Step.Of(steps[c] + 1), ct)));
                    throw new HorizontalJobException(reason);
                }
                continue;
            }
            OnUpdate?.Invoke(client, outcome);
            if (outcome.Report is { } report)
            {
                if (privacy is not null)
                    report = report with { EpsilonSpent = privacy.EpsilonAfter(trainings) };
                history.Add(report);
                Observer?.OnRound(report);
            }
            if (server.Version < target)
                await DispatchAsync(client);
        }
        stop.Cancel();                     // updates still in training are not needed any more
        await Task.WhenAll(pending.Keys);
        var final = await FinishAsync(server.Weights, steps, ct);
        var model = new HorizontalModel(schema.Columns, schema.Means, schema.Scales, schema.Classes, parameters.Hidden.ToArray(), server.Weights);
        return new HorizontalArbiterResult(model, history, final, server.RefusedStale);
    }

    private int IndexOf(string client)
    {
        for (int i = 0; i < clients.Count; i++)
            if (clients[i] == client)
                return i;
        throw new ArgumentException($"{client} is not a client of this job.", nameof(client));
    }

    /// <summary>The next update from <paramref name="client"/> in its step <paramref name="k"/>, or why none came.</summary>
    private async Task<Arrival> ReceiveAsync(string client, int k, CancellationToken stop)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(parameters.RoundDeadline);
        try
        {
            var update = await channel.ReceiveAsync<ClientUpdate>(client, Step.Of(k), deadline.Token);
            return update.Error.Length > 0 ? new Arrival(null, $"local training failed: {update.Error}") : new Arrival(update, null);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return new Arrival(null, "not needed: the job finished");
        }
        catch (OperationCanceledException)
        {
            return new Arrival(null, $"no update within the deadline of {parameters.RoundDeadline.TotalSeconds:0.#} s");
        }
        catch (TimeoutException)
        {
            return new Arrival(null, "no update within the channel's receive timeout");
        }
    }

    /// <summary>Every client gets the final model in its next step and reports its validation metrics on it.</summary>
    private async Task<PooledMetrics> FinishAsync(double[] weights, Dictionary<string, int> steps, CancellationToken ct)
    {
        var final = new GlobalModel { Round = int.MaxValue, Final = true, Selected = false };
        final.Weights.AddRange(weights);
        await Task.WhenAll(clients.Select(c => channel.SendAsync(c, final, Step.Of(++steps[c]), ct)));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(parameters.RoundDeadline);
        var evaluations = await Task.WhenAll(clients.Select(async c =>
        {
            try
            {
                return await channel.ReceiveAsync<FinalEvaluation>(c, Step.Of(steps[c]), deadline.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or TimeoutException && !ct.IsCancellationRequested)
            {
                return null;
            }
        }));
        return Validation.Pool(evaluations.Where(e => e?.Validation is not null).Select(e => e!.Validation));
    }
}

/// <summary>Runs the arbiter the job's mode needs.</summary>
public static class HorizontalArbiters
{
    public static Task<HorizontalArbiterResult> RunAsync(IPartyChannel channel, IReadOnlyList<string> clients, HorizontalParameters parameters,
        IHorizontalObserver? observer = null, HorizontalCheckpoint? resumeFrom = null, CancellationToken ct = default) =>
        parameters.Mode == HorizontalMode.Sync
            ? new HorizontalArbiter(channel, clients, parameters) { Observer = observer, ResumeFrom = resumeFrom }.RunAsync(ct)
            : new AsyncHorizontalArbiter(channel, clients, parameters) { Observer = observer, ResumeFrom = resumeFrom }.RunAsync(ct);
}
