namespace VerticalFL.Transport.Tests.Infrastructure;

/// <summary>Every await in these tests is bounded.</summary>
internal static class Await
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Limit);

    public static Task Within(this Task task) => task.WaitAsync(Limit);

    public static CancellationToken Token() => new CancellationTokenSource(Limit).Token;
}
