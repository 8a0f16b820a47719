using VerticalFL.Protocol.Channels;
using System.CommandLine;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using VerticalFL.Crypto.Psi;
using VerticalFL.Protocol.Psi;

namespace VerticalFL.Cli.Commands;

/// <summary>
/// <c>vfl bench psi</c>: the two-party protocol on generated ids, next to the raw scalar-multiplication
/// rate of this machine measured in the same run (the protocol needs 2 multiplications per id per side).
/// </summary>
internal static class BenchPsiCommand
{
    private static readonly TimeSpan LimitDuration = TimeSpan.FromSeconds(3);

    public static Command Create()
    {
        var rows = new Option<int>("--rows") { Description = "Ids per side", DefaultValueFactory = _ => 1_000_000 };
        var overlap = new Option<double>("--overlap") { Description = "Fraction of each side's ids the other side also has (0..1)", DefaultValueFactory = _ => 0.5 };
        var engine = new Option<ScalarMultEngine>("--engine")
        {
            Description = "Scalar-mult engine both parties use (default: the fastest this CPU runs)",
            DefaultValueFactory = _ => PsiKey.FastestEngine,
        };
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON" };
        var command = new Command("psi", "Benchmark two-party PSI against the raw ristretto255 scalar-mult limit") { rows, overlap, engine, json };
        command.SetAction(async (parse, ct) =>
        {
            int n = parse.GetValue(rows);
            double share = parse.GetValue(overlap);
            if (n < 1 || share is < 0 or > 1)
                throw new ArgumentException("--rows must be positive and --overlap within 0..1.");
            if (parse.GetValue(engine) == ScalarMultEngine.Avx512 && PsiKey.FastestEngine != ScalarMultEngine.Avx512)
                throw new ArgumentException("--engine avx512: this CPU (or runtime setting) has no AVX-512; use --engine libsodium.");
            var figures = await RunAsync(n, share, parse.GetValue(engine), parse.GetValue(json) ? null : Console.Out, ct);
            Console.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(figures) : Describe(figures));
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<Dictionary<string, object>> RunAsync(
        int rows, double overlap, ScalarMultEngine engine, TextWriter? progress, CancellationToken ct)
    {
        int shared = (int)Math.Round(rows * overlap);
        var guestIds = Ids(0, rows);
        var hostIds = Ids(rows - shared, rows);
        progress?.WriteLine($"measuring the raw scalar-mult limits (libsodium, {engine.ToString().ToLowerInvariant()}) …");
        var libsodium = MeasureScalarMultLimit(ScalarMultEngine.Libsodium);
        var before = engine == ScalarMultEngine.Libsodium ? libsodium : MeasureScalarMultLimit(engine);

        using var memory = PeakMemorySampler.Start();
        var cpuStart = CpuSeconds();
        var stopwatch = Stopwatch.StartNew();
        progress?.WriteLine($"running PSI, {rows:N0} × {rows:N0} ids …");
        var options = new PsiOptions { Engine = engine, Progress = progress is null ? null : new TenthsReporter(progress, stopwatch) };
        var (guest, host) = await RunInProcessAsync(guestIds, hostIds, options, engine, ct);
        double seconds = stopwatch.Elapsed.TotalSeconds;
        double cpuSeconds = CpuSeconds() - cpuStart;
        memory.Stop();

        var after = MeasureScalarMultLimit(engine);
        // The stricter (higher) of the two measurements around the run.
        double limit = Math.Max(before.PerSecond, after.PerSecond);
        double limitPerCpuSecond = Math.Max(before.PerCpuSecond, after.PerCpuSecond);
        if (guest.Count != shared || host.Count != shared)
            throw new JobFailedException($"benchmark found {guest.Count}/{host.Count} shared ids, expected {shared}.");
        double mults = 2.0 * (guestIds.Length + hostIds.Length);
        return new Dictionary<string, object>
        {
            ["rows"] = rows,
            ["engine"] = engine.ToString().ToLowerInvariant(),
            ["overlap"] = overlap,
            ["intersection"] = guest.Count,
            ["seconds"] = Math.Round(seconds, 2),
            ["ids_per_s"] = Math.Round(rows / seconds),
            ["scalar_mults_per_s"] = Math.Round(mults / seconds),
            ["scalar_mults_per_s_limit"] = Math.Round(limit),
            ["efficiency"] = Math.Round(mults / seconds / limit, 3),
            ["cpu_seconds"] = Math.Round(cpuSeconds, 1),
            ["scalar_mults_per_cpu_s_limit"] = Math.Round(limitPerCpuSecond),
            ["cpu_efficiency"] = Math.Round(mults / cpuSeconds / limitPerCpuSecond, 3),
            ["libsodium_scalar_mults_per_s"] = Math.Round(libsodium.PerSecond),
            ["engine_speedup_over_libsodium"] = Math.Round(limit / libsodium.PerSecond, 2),
            ["peak_gc_heap_bytes"] = memory.PeakGcHeapBytes,
            ["peak_working_set_bytes"] = memory.PeakWorkingSetBytes,
            ["cores"] = Environment.ProcessorCount,
        };
    }

    /// <summary>
    /// Scalar mults per second of <paramref name="engine"/> on all cores with nothing else to do (batches of
    /// random points, ~3 s), and per CPU-second of this process, which other load on the machine does not distort.
    /// </summary>
    private static (double PerSecond, double PerCpuSecond) MeasureScalarMultLimit(ScalarMultEngine engine)
    {
        const int batch = 8192;
        var points = new byte[batch * PsiKey.PointSize];
        var output = new byte[points.Length];
        using var key = PsiKey.Generate(engine);
        key.HashToGroupAndMultiply(RandomNumberGenerator.GetBytes(32), Ids(0, batch), points);
        long done = 0;
        double cpuStart = CpuSeconds();
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < LimitDuration)
        {
            key.Multiply(points, output);
            done += batch;
        }
        return (done / stopwatch.Elapsed.TotalSeconds, done / (CpuSeconds() - cpuStart));
    }

    private static double CpuSeconds()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalSeconds;
    }

    private static string[] Ids(int first, int count)
    {
        var ids = new string[count];
        for (int i = 0; i < count; i++)
            ids[i] = $"customer-{first + i:D9}";
        return ids;
    }

    private static string Describe(Dictionary<string, object> f) =>
        $"""
        PSI {f["rows"]} x {f["rows"]} ids, overlap {f["overlap"]}, {f["cores"]} cores, {f["engine"]} engine
          intersection        {f["intersection"]}
          seconds             {f["seconds"]}
          ids/s per side      {f["ids_per_s"]}
          scalar mults/s      {f["scalar_mults_per_s"]} (protocol: 2 per id per side)
          raw limit mults/s   {f["scalar_mults_per_s_limit"]} (this engine, all cores, same run)
          libsodium mults/s   {f["libsodium_scalar_mults_per_s"]} (engine speed-up {f["engine_speedup_over_libsodium"]}x)
          efficiency          {(double)f["efficiency"]:P1} of the limit (wall clock)
          cpu efficiency      {(double)f["cpu_efficiency"]:P1} (mults per CPU-second vs the limit loop's; {f["cpu_seconds"]} CPU-s)
          peak GC heap        {(long)f["peak_gc_heap_bytes"] / (1 << 20)} MiB
          peak working set    {(long)f["peak_working_set_bytes"] / (1 << 20)} MiB
        """;

    /// <summary>Prints "n0% of PSI done" each time the guest's two stages together pass another tenth.</summary>
    private sealed class TenthsReporter(TextWriter output, Stopwatch clock) : IProgress<PsiProgress>
    {
        private readonly PsiCompletion _completion = new(hosts: 1);
        private readonly Lock _gate = new();
        private int _printed;

        public void Report(PsiProgress value)
        {
            int tenths = (int)(_completion.Add(value) * 10);
            lock (_gate)
            {
                if (tenths <= _printed)
                    return;
                _printed = tenths;
                output.WriteLine($"  {tenths * 10,3}% of the guest's PSI work done, {clock.Elapsed.TotalSeconds:F1} s");
            }
        }
    }

    /// <summary>Samples the GC heap and the process working set every 50 ms while a run is in progress.</summary>
    private sealed class PeakMemorySampler : IDisposable
    {
        private readonly Timer _timer;
        private long _peakGc;
        private long _peakWorkingSet;

        private PeakMemorySampler() => _timer = new Timer(_ => Sample(), null, 0, 50);

        public long PeakGcHeapBytes => Interlocked.Read(ref _peakGc);
        public long PeakWorkingSetBytes => Interlocked.Read(ref _peakWorkingSet);

        public static PeakMemorySampler Start() => new();

        public void Stop()
        {
            _timer.Change(Timeout.Infinite, Timeout.Infinite);
            Sample();
        }

        public void Dispose() => _timer.Dispose();

        private void Sample()
        {
            using var process = Process.GetCurrentProcess();
            Max(ref _peakGc, GC.GetTotalMemory(forceFullCollection: false));
            Max(ref _peakWorkingSet, process.WorkingSet64);
        }

        private static void Max(ref long peak, long value)
        {
            long seen;
            while (value > (seen = Interlocked.Read(ref peak)) && Interlocked.CompareExchange(ref peak, value, seen) != seen)
            {
            }
        }
    }

    /// <summary>Runs the guest on <paramref name="guestIds"/> and one host on <paramref name="hostIds"/>, in memory.</summary>
    private const string Guest = "left";
    private const string Host = "right";

    /// <summary>Both roles in this process over an in-memory federation: the bench measures the protocol, not the network.</summary>
    private static async Task<(PsiResult Guest, PsiResult Host)> RunInProcessAsync(
        IReadOnlyList<string> guestIds, IReadOnlyList<string> hostIds, PsiOptions options, ScalarMultEngine engine, CancellationToken ct)
    {
        var federation = new InMemoryFederation([Guest, Host]);
        string job = $"psi-{Guid.NewGuid():N}";
        var guest = new PsiGuest(federation.Channel(Guest, job), [Host], options);
        var host = new PsiHost(federation.Channel(Host, job), Guest, engine: engine);
        try
        {
            var guestRun = Task.Run(() => guest.RunAsync(guestIds, ct), ct);
            var hostRun = Task.Run(() => host.RunAsync(hostIds, ct), ct);
            return (await guestRun, await hostRun);
        }
        catch (PsiFailedException e)
        {
            throw new JobFailedException(e.Message, e);
        }
    }
}
