using System.Runtime.InteropServices;

namespace VerticalFL.Cli.Commands;

/// <summary>Waits for Ctrl+C (SIGINT) or SIGTERM, for commands that serve until stopped (vfl board, vfl run --board).</summary>
internal static class StopSignal
{
    /// <summary>Returns when <paramref name="ct"/> fires or the process is asked to stop; never throws for that.</summary>
    public static async Task WaitAsync(CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // Handled here rather than left to the default: the command then returns normally and disposes what it started.
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Asked to stop.
        }
    }
}
