using System.Runtime.ExceptionServices;

namespace VerticalFL.Protocol.Psi;

internal static class Concurrently
{
    /// <summary>
    /// Runs a sending and a receiving loop side by side. When one fails the other is cancelled, so a
    /// failure surfaces at once instead of as a receive timeout, and the first real error is thrown.
    /// </summary>
    public static async Task RunAsync(Func<CancellationToken, Task> first, Func<CancellationToken, Task> second, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var a = Task.Run(() => first(cts.Token), CancellationToken.None);
        var b = Task.Run(() => second(cts.Token), CancellationToken.None);
        var done = await Task.WhenAny(a, b).ConfigureAwait(false);
        if (!done.IsCompletedSuccessfully)
            cts.Cancel();
        try
        {
            await Task.WhenAll(a, b).ConfigureAwait(false);
        }
        catch when (done.IsFaulted)
        {
            ExceptionDispatchInfo.Throw(done.Exception!.InnerException!);
        }
    }
}
