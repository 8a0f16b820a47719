using VerticalFL.Contracts.V1;
using VerticalFL.Ml.Training;
using VerticalFL.Protocol.Channels;

namespace VerticalFL.Protocol.Horizontal;

/// <summary>An update that arrived, or why none did.</summary>
public sealed record Arrival(ClientUpdate? Update, string? Error);

/// <summary>Which clients train in a round, and collecting their answers within the round deadline.</summary>
public static class Participation
{
    /// <summary>All clients, or a seeded sample of <paramref name="max"/> of them (a different sample each round).</summary>
    public static IReadOnlySet<string> Select(IReadOnlyList<string> clients, int max, long seed, int round)
    {
        if (max == 0 || max >= clients.Count)
            return clients.ToHashSet();
        var random = new DeterministicRandom(seed, stream: 0x5e1ec7 + round);
        var order = clients.ToArray();
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order.Take(max).ToHashSet();
    }

    /// <summary>
    /// Waits for each client's update until the deadline. A client that is late, unreachable or reports an error
    /// is returned with the reason instead: it is left out of this round and may take part in the next.
    /// </summary>
    public static async Task<Dictionary<string, Arrival>> GatherAsync(IPartyChannel channel, IEnumerable<string> clients, Step step,
        TimeSpan deadline, CancellationToken ct)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(deadline);
        var tasks = clients.ToDictionary(c => c, c => ReceiveAsync<ClientUpdate>(channel, c, step, deadline, timer.Token, ct));
        await Task.WhenAll(tasks.Values);
        return tasks.ToDictionary(t => t.Key, t => t.Value.Result switch
        {
            (null, var error) => new Arrival(null, error),
            ({ Error.Length: > 0 } u, _) => new Arrival(null, $"local training failed: {u.Error}"),
            (var u, _) => new Arrival(u, null),
        });
    }

    public static async Task<List<FinalEvaluation>> GatherFinalAsync(IPartyChannel channel, IEnumerable<string> clients, Step step,
        TimeSpan deadline, CancellationToken ct)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(deadline);
        var results = await Task.WhenAll(clients.Select(c => ReceiveAsync<FinalEvaluation>(channel, c, step, deadline, timer.Token, ct)));
        return results.Where(r => r.Message is not null).Select(r => r.Message!).ToList();
    }

    private static async Task<(T? Message, string? Error)> ReceiveAsync<T>(IPartyChannel channel, string client, Step step, TimeSpan deadline,
        CancellationToken timer, CancellationToken job) where T : class, Google.Protobuf.IMessage<T>, new()
    {
        try
        {
            return (await channel.ReceiveAsync<T>(client, step, timer), null);
        }
        catch (OperationCanceledException) when (!job.IsCancellationRequested)
        {
            return (null, $"no update within the round deadline of {deadline.TotalSeconds:0.#} s");
        }
        catch (TimeoutException)
        {
            return (null, $"no update within the channel's receive timeout");
        }
    }
}
