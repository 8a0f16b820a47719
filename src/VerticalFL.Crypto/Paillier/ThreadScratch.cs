using VerticalFL.Crypto.Native;

namespace VerticalFL.Crypto.Paillier;

/// <summary>One reusable product buffer per thread for single homomorphic operations (never holds secrets).</summary>
internal static class ThreadScratch
{
    [ThreadStatic]
    private static GmpInteger? product;

    /// <summary>A scratch number owned by the calling thread; GMP grows it on demand.</summary>
    public static GmpInteger Product => product ??= GmpInteger.Create(3 * 4096 + 64);
}
