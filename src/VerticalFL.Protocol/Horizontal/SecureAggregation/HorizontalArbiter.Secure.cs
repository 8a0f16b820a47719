using Google.Protobuf;
using VerticalFL.Contracts.V1;
using VerticalFL.Protocol.Channels;

namespace VerticalFL.Protocol.Horizontal;

/// <summary>The arbiter's round with secure aggregation: the four steps of <see cref="SecAggServerSession"/> over the channel.</summary>
public sealed partial class HorizontalArbiter
{
    private int _classes;

    /// <summary>Called with each round's session once its sum is known (tests inspect what the arbiter held).</summary>
    internal Action<int, SecAggServerSession>? OnSecureRound { get; init; }

    private void RefuseTooFewForSecureAggregation()
    {
        if (parameters.SecureAggregation.Enabled && clients.Count < 3)
            throw new HorizontalJobException($"secure aggregation needs at least 3 data parties; this job has {clients.Count}. " +
                "With 2, each client can subtract its own update from the aggregate and learn the other's exactly, so masking would protect nothing.");
    }

    private async Task<HorizontalRoundReport> SecureRoundAsync(int round, double[] weights, IReadOnlySet<string> selected, ServerAggregator aggregator,
        CancellationToken ct)
    {
        var step = Step.Of(round);
        var settings = parameters.SecureAggregation;
        var layout = SecureVectorLayout.For(weights.Length, _classes, parameters.AucBins);
        var session = new SecAggServerSession(channel.JobId, round, settings, layout.Length);
        var leftOut = new Dictionary<string, string>(StringComparer.Ordinal);
        var waiting = new HashSet<string>(StringComparer.Ordinal);   // clients blocked on the arbiter's next message
        int stage = 0;                                               // 0: they wait for neighbours, 1: for shares, 2: for the unmask request
        try
        {
            var (ads, late) = await GatherAsync<SecAggAdvertise>(selected, step, parameters.RoundDeadline, ct);
            foreach (var (client, reason) in late)
                leftOut[client] = reason;
            foreach (var (client, ad) in ads.Where(a => a.Value.Error.Length > 0).ToArray())
            {
                leftOut[client] = $"local training failed: {ad.Error}";
                ads.Remove(client);
            }
            waiting.UnionWith(ads.Keys);
            if (ads.Count < parameters.MinParticipants)
                throw new HorizontalJobException($"round {round}: {ads.Count} of {selected.Count} selected clients advertised keys, fewer than min_participants {parameters.MinParticipants}" +
                    (leftOut.Count > 0 ? $" (left out: {string.Join("; ", leftOut.Select(l => $"{l.Key}: {l.Value}"))})" : ""));
            await SendAllAsync(session.Neighbours(ads), step, ct);
            stage = 1;

            var (shares, notShared) = await GatherAsync<SecAggShares>(ads.Keys, step, settings.StepDeadline, ct);
            var inbox = session.Route(shares);
            await LeaveOutAsync<SecAggSharesIn>(ads.Keys.Except(inbox.Keys), notShared, "did not share its keys", leftOut, waiting, step,
                reason => new SecAggSharesIn { AbortReason = reason }, ct);
            await SendAllAsync(inbox, step, ct);
            stage = 2;

            var (inputs, notMasked) = await GatherAsync<SecAggMaskedInput>(inbox.Keys, step, settings.StepDeadline, ct);
            var requests = session.RequestUnmask(inputs);
            await LeaveOutAsync<SecAggUnmaskRequest>(inbox.Keys.Except(requests.Keys), notMasked, "sent no masked input", leftOut, waiting, step,
                reason => new SecAggUnmaskRequest { AbortReason = reason }, ct);
            await SendAllAsync(requests, step, ct);
            waiting.Clear();

            var (responses, _) = await GatherAsync<SecAggUnmaskResponse>(requests.Keys, step, settings.StepDeadline, ct);
            var ring = session.Unmask(responses);
            OnSecureRound?.Invoke(round, session);
            var (sum, trainLoss, validation, _) = layout.Decompose(layout.Dequantise(ring, settings.FractionalBits), session.Survivors.Count);
            var next = aggregator.Apply(weights, sum);
            return new HorizontalRoundReport(round, session.Survivors.Order(StringComparer.Ordinal).ToArray(), leftOut, trainLoss, validation, next, aggregator.Moments);
        }
        catch (HorizontalJobException e)
        {
            // Unblock clients waiting inside the protocol, then stop the job as a failed round does.
            await Task.WhenAll(waiting.Select(c => SendAbortToWaitingAsync(c, e.Message, step, stage, ct)));
            await AbortAsync(Step.Of(round + 1), e.Message, ct);
            throw;
        }
    }

    /// <summary>The message a client in the protocol waits for next depends on how far the round got.</summary>
    private Task SendAbortToWaitingAsync(string client, string reason, Step step, int stage, CancellationToken ct) => stage switch
    {
        0 => channel.SendAsync(client, new SecAggNeighbours { AbortReason = reason }, step, ct),
        1 => channel.SendAsync(client, new SecAggSharesIn { AbortReason = reason }, step, ct),
        _ => channel.SendAsync(client, new SecAggUnmaskRequest { AbortReason = reason }, step, ct),
    };

    private async Task LeaveOutAsync<T>(IEnumerable<string> dropped, Dictionary<string, string> missing, string what, Dictionary<string, string> leftOut,
        HashSet<string> waiting, Step step, Func<string, T> message, CancellationToken ct) where T : IMessage<T>
    {
        foreach (var client in dropped.ToArray())
        {
            string reason = missing.GetValueOrDefault(client) ?? $"{what} in a usable form";
            leftOut[client] = reason;
            waiting.Remove(client);
            await channel.SendAsync(client, message($"left out of round {step.Epoch}: {reason}"), step, ct);
        }
    }

    private Task SendAllAsync<T>(Dictionary<string, T> messages, Step step, CancellationToken ct) where T : IMessage<T> =>
        Task.WhenAll(messages.Select(m => channel.SendAsync(m.Key, m.Value, step, ct)));

    /// <summary>Each party's message of type T within the deadline; the others with the reason.</summary>
    private async Task<(Dictionary<string, T> Arrived, Dictionary<string, string> Missing)> GatherAsync<T>(IEnumerable<string> parties, Step step,
        TimeSpan deadline, CancellationToken ct) where T : class, IMessage<T>, new()
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(deadline);
        var tasks = parties.ToDictionary(p => p, p => ReceiveOrReasonAsync<T>(p, step, deadline, timer.Token, ct), StringComparer.Ordinal);
        await Task.WhenAll(tasks.Values);
        var arrived = new Dictionary<string, T>(StringComparer.Ordinal);
        var missing = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (party, task) in tasks)
            if (task.Result.Message is { } m)
                arrived[party] = m;
            else
                missing[party] = task.Result.Error!;
        return (arrived, missing);
    }

    private async Task<(T? Message, string? Error)> ReceiveOrReasonAsync<T>(string party, Step step, TimeSpan deadline, CancellationToken timer,
        CancellationToken job) where T : class, IMessage<T>, new()
    {
        try
        {
            return (await channel.ReceiveAsync<T>(party, step, timer), null);
        }
        catch (OperationCanceledException) when (!job.IsCancellationRequested)
        {
            return (null, $"no {typeof(T).Name} within {deadline.TotalSeconds:0.#} s");
        }
        catch (TimeoutException)
        {
            return (null, $"no {typeof(T).Name} within the channel's receive timeout");
        }
    }
}
