using System.Runtime.ExceptionServices;

namespace VerticalFL.Crypto.Concurrency;

/// <summary>
/// Splits [0, count) into a few contiguous chunks per core, so each chunk sets up its scratch space once and
/// per-item work stays a tight loop.
/// </summary>
internal static class ParallelChunks
{
    private const int ChunksPerCore = 4;

    /// <summary>Runs <paramref name="body"/>(start, end) over [0, count) on all cores, chunks at least <paramref name="minChunk"/> long.</summary>
    public static void For(int count, Action<int, int> body, int minChunk = 1) =>
        FirstFailure(count, (start, end) => { body(start, end); return -1; }, minChunk);

    /// <summary>
    /// As <see cref="For"/>, but each chunk returns −1 or the index of an item it failed on; the smallest such index
    /// is returned (−1 when all succeeded).
    /// </summary>
    public static int FirstFailure(int count, Func<int, int, int> body, int minChunk = 1)
    {
        if (count == 0)
            return -1;
        int chunks = Math.Clamp(count / Math.Max(1, minChunk), 1, Environment.ProcessorCount * ChunksPerCore);
        int firstBad = int.MaxValue;
        try
        {
            Parallel.For(0, chunks, c =>
            {
                int start = (int)((long)count * c / chunks);
                int end = (int)((long)count * (c + 1) / chunks);
                int bad = body(start, end);
                if (bad >= 0)
                    InterlockedMin(ref firstBad, bad);
            });
        }
        catch (AggregateException e)
        {
            // Callers expect the exception a sequential loop would have thrown, not a wrapper.
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
        return firstBad == int.MaxValue ? -1 : firstBad;
    }

    private static void InterlockedMin(ref int target, int value)
    {
        int seen;
        while (value < (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
