namespace VerticalFL.Crypto.Paillier;

/// <summary>Splits [0, count) into a few chunks per core so each chunk sets up its scratch space once.</summary>
internal static class ParallelChunks
{
    public static void For(int count, Action<int, int> body)
    {
        if (count == 0)
        {
            return;
        }

        var chunks = Math.Min(count, Environment.ProcessorCount * 4);
        Parallel.For(0, chunks, chunk => body((int)((long)chunk * count / chunks), (int)((long)(chunk + 1) * count / chunks)));
    }
}
