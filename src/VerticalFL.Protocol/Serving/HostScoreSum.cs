using VerticalFL.Contracts.V1;
using VerticalFL.Protocol.Prediction;

namespace VerticalFL.Protocol.Serving;

/// <summary>The hosts' contribution to one id's score, or the hosts that do not know the id.</summary>
public readonly record struct HostContribution(double Sum, IReadOnlyList<string>? UnknownAt);

/// <summary>
/// The guest's side of an online batch: adds the hosts' replies per id. One host: its plain partial score. Several:
/// the sum of their masked words mod 2^64, in which the pairwise masks cancel, so only Σ_h x_h·w_h is learned.
/// </summary>
public static class HostScoreSum
{
    /// <param name="replies">One reply per host, in the order of <paramref name="hosts"/>, each for <paramref name="count"/> ids.</param>
    /// <exception cref="InvalidOperationException">A reply does not fit the batch (a host named).</exception>
    public static HostContribution[] Combine(IReadOnlyList<string> hosts, IReadOnlyList<ScoreReply> replies, int count)
    {
        bool masked = hosts.Count > 1;
        var unknownAt = new List<string>?[count];
        for (int k = 0; k < hosts.Count; k++)
        {
            int got = masked ? replies[k].Masked.Count : replies[k].Scores.Count;
            if (got != count)
                throw new InvalidOperationException($"{hosts[k]} sent {got} partial scores for {count} ids.");
            foreach (int i in replies[k].Unknown)
            {
                if (i < 0 || i >= count)
                    throw new InvalidOperationException($"{hosts[k]} marked position {i} unknown in a batch of {count} ids.");
                (unknownAt[i] ??= []).Add(hosts[k]);
            }
        }
        var result = new HostContribution[count];
        for (int i = 0; i < count; i++)
            result[i] = unknownAt[i] is { } missing ? new HostContribution(double.NaN, missing) : new HostContribution(Sum(replies, i, masked), null);
        return result;
    }

    private static double Sum(IReadOnlyList<ScoreReply> replies, int i, bool masked)
    {
        if (!masked)
            return replies[0].Scores[i];
        ulong sum = 0;
        foreach (var reply in replies)
            sum = unchecked(sum + reply.Masked[i]);
        return MaskedScores.Decode(sum);
    }
}
