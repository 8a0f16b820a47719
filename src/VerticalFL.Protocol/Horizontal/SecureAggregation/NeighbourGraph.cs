using System.Security.Cryptography;

namespace VerticalFL.Protocol.Horizontal;

/// <summary>
/// The SecAgg+ communication graph (Bell et al. 2020): a Harary graph H(k, n) over a uniformly random cyclic order of
/// the round's clients (OS CSPRNG), so every client has exactly k neighbours, the k/2 before and after it on the
/// cycle; k ≥ n − 1 gives the complete graph of the original protocol (Bonawitz et al. 2017). Each client's
/// share holders are its neighbours and itself (k + 1), and t = ⌈threshold·(k + 1)⌉ of them reconstruct its secrets.
/// </summary>
internal static class NeighbourGraph
{
    /// <summary>k: the requested even degree, or auto 2⌈log₂ n⌉; never more than n − 1.</summary>
    public static int Degree(int clients, int requested)
    {
        int k = requested > 0 ? requested : 2 * (int)Math.Ceiling(Math.Log2(clients));
        return Math.Min(clients - 1, k);
    }

    public static int Threshold(int degree, double fraction) => Math.Max(2, (int)Math.Ceiling(fraction * (degree + 1) - 1e-9));

    public static Dictionary<string, string[]> Build(IReadOnlyList<string> clients, int degree)
    {
        int n = clients.Count;
        var order = clients.ToArray();
        RandomNumberGenerator.Shuffle(order.AsSpan());
        var neighbours = new Dictionary<string, string[]>(StringComparer.Ordinal);
        for (int i = 0; i < n; i++)
        {
            if (degree >= n - 1)
                neighbours[order[i]] = order.Where((_, j) => j != i).ToArray();
            else
                neighbours[order[i]] = Enumerable.Range(1, degree / 2)
                    .SelectMany(d => new[] { order[(i + d) % n], order[(i - d + n) % n] }).ToArray();
        }
        return neighbours;
    }
}
