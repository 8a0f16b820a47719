using VerticalFL.Contracts.V1;
using VerticalFL.Protocol.Channels;

namespace VerticalFL.Protocol.Horizontal;

/// <summary>What the clients agreed before round 1.</summary>
public sealed record AgreedSchema(string[] Columns, double[] Means, double[] Scales, int Classes, long TrainRows)
{
    /// <summary>Each client's training rows, in the order of the job's clients (for the privacy calibration).</summary>
    public long[] ClientRows { get; init; } = [];
}

/// <summary>
/// The arbiter's side of the agreement before round 1: every client's columns must equal the first client's (names
/// and order), else every client is told the mismatch and the job is refused; the means are Σ sums / Σ rows, the
/// scales √(Σ squared deviations / Σ rows) — the statistics of all training rows pooled, never one party's own.
/// Only sums cross the wire, so a secure sum (issue 18) can replace the arbiter's additions.
/// </summary>
internal static class ArbiterSetup
{
    public static async Task<AgreedSchema> AgreeAsync(IPartyChannel channel, IReadOnlyList<string> clients, CancellationToken ct, int firstRound = 1)
    {
        var hellos = await Task.WhenAll(clients.Select(c => channel.ReceiveAsync<HorizontalHello>(c, ct)));
        var error = Refusal(clients, hellos);
        if (error is not null)
        {
            await channel.BroadcastAsync(clients, new HorizontalSetup { Error = error }, Step.None, ct);
            throw new HorizontalJobException(error);
        }
        long rows = hellos.Sum(h => h.Rows);
        int columns = hellos[0].Columns.Count;
        var means = Enumerable.Range(0, columns).Select(c => hellos.Sum(h => h.ColumnSums[c]) / rows).ToArray();
        int classes = Math.Max(2, hellos.Max(h => h.MaxLabel) + 1);
        var setup = new HorizontalSetup { Classes = classes, FirstRound = firstRound };
        setup.Means.AddRange(means);
        await channel.BroadcastAsync(clients, setup, Step.None, ct);

        var spreads = await Task.WhenAll(clients.Select(c => channel.ReceiveAsync<HorizontalSpread>(c, ct)));
        if (spreads.FirstOrDefault(s => s.SquaredDeviations.Count != columns) is { } bad)
            throw new HorizontalJobException($"a client sent {bad.SquaredDeviations.Count} squared deviations for {columns} columns.");
        var squared = Enumerable.Range(0, columns).Select(c => spreads.Sum(s => s.SquaredDeviations[c])).ToArray();
        var scales = Standardization.Scales(squared, rows);
        var scaling = new HorizontalScaling();
        scaling.Scales.AddRange(scales);
        await channel.BroadcastAsync(clients, scaling, Step.None, ct);
        return new AgreedSchema(hellos[0].Columns.ToArray(), means, scales, classes, rows) { ClientRows = hellos.Select(h => h.Rows).ToArray() };
    }

    private static string? Refusal(IReadOnlyList<string> clients, HorizontalHello[] hellos)
    {
        for (int i = 0; i < hellos.Length; i++)
        {
            if (hellos[i].Error.Length > 0)
                return $"{clients[i]} cannot take part: {hellos[i].Error}";
            if (hellos[i].Rows < 1)
                return $"{clients[i]} has no training rows";
            if (hellos[i].ColumnSums.Count != hellos[i].Columns.Count)
                return $"{clients[i]} sent {hellos[i].ColumnSums.Count} column sums for {hellos[i].Columns.Count} columns";
        }
        for (int i = 1; i < hellos.Length; i++)
            if (ColumnAgreement.Mismatch(hellos[0].Columns, hellos[i].Columns, clients[0], clients[i]) is { } mismatch)
                return $"feature columns differ: {mismatch}";
        return null;
    }
}
