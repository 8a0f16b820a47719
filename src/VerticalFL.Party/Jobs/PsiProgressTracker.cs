using VerticalFL.Protocol.Psi;

namespace VerticalFL.Party.Jobs;

/// <summary>
/// Turns PSI's per-batch reports into the job's progress (the fraction of both stages with every host done),
/// written to the store at most every half second: the Operator API's Watch streams it to `vfl`.
/// </summary>
public sealed class PsiProgressTracker : IProgress<PsiProgress>, IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private readonly JobRun _run;
    private readonly PsiCompletion _completion;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _writer;
    private double _written;

    /// <param name="hosts">How many hosts the guest intersects with (two stages each).</param>
    public PsiProgressTracker(JobRun run, int hosts)
    {
        _run = run;
        _completion = new PsiCompletion(hosts);
        _writer = WriteLoopAsync(_stop.Token);
    }

    /// <summary>Fraction of PSI done, 0 to 1.</summary>
    public double Fraction => _completion.Fraction;

    public void Report(PsiProgress value) => _completion.Add(value);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _writer;
        _stop.Dispose();
    }

    private async Task WriteLoopAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                double fraction = Fraction;
                if (fraction <= _written)
                    continue;
                // Progress is advisory: a store hiccup must not fail the PSI it describes.
                try { await _run.ReportProgressAsync(0, fraction, stop); _written = fraction; }
                catch (Exception e) when (e is not OperationCanceledException) { }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
