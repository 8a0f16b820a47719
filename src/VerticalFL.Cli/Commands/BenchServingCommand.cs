using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using VerticalFL.Cli.Data;
using VerticalFL.Cli.Local;
using VerticalFL.Cli.Operator;
using VerticalFL.Contracts.V1;

namespace VerticalFL.Cli.Commands;

/// <summary>
/// <c>vfl bench serving</c>: online prediction with real party processes over mTLS on loopback (guest, host(s),
/// arbiter for the training job): one id per request through the guest's Operator API at each concurrency, then
/// the same ids through one batch prediction job for comparison.
/// </summary>
internal static class BenchServingCommand
{
    public static Command Create()
    {
        var hosts = new Option<int>("--hosts") { Description = "Hosts (1 or 2)", DefaultValueFactory = _ => 1 };
        var concurrency = new Option<string>("--concurrency") { Description = "Concurrent clients, comma-separated", DefaultValueFactory = _ => "1,16,64" };
        var rows = new Option<int>("--rows") { Description = "Customers (all shared): the requests per concurrency level and the batch job's rows", DefaultValueFactory = _ => 4000 };
        var guestFeatures = new Option<int>("--guest-features") { DefaultValueFactory = _ => 30 };
        var hostFeatures = new Option<int>("--host-features") { Description = "Features per host", DefaultValueFactory = _ => 300 };
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON" };
        var command = new Command("serving", "Online prediction latency and throughput, and the same predictions as a batch job")
            { hosts, concurrency, rows, guestFeatures, hostFeatures, json };
        command.SetAction(async (parse, ct) =>
        {
            int h = parse.GetValue(hosts);
            if (h is < 1 or > 2) throw new Ml.Data.BadInputException($"--hosts: 1 or 2 (got {h}).");
            var levels = ParseLevels(parse.GetValue(concurrency)!);
            Dictionary<string, object> figures;
            try
            {
                figures = await RunAsync(h, levels, parse.GetValue(rows), parse.GetValue(guestFeatures), parse.GetValue(hostFeatures),
                parse.GetValue(json), ct);
            }
            catch (Grpc.Core.RpcException e)
            {
                throw OperatorConnection.Translate(e);
            }
            Console.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true }) : Text(figures));
            return ExitCodes.Success;
        });
        return command;
    }

    private static int[] ParseLevels(string text)
    {
        try
        {
            var levels = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
            return levels.Length > 0 && levels.All(l => l is >= 1 and <= 1024) ? levels : throw new FormatException();
        }
        catch (FormatException)
        {
            throw new Ml.Data.BadInputException($"--concurrency: '{text}' is not a comma-separated list of 1..1024.");
        }
    }

    private static async Task<Dictionary<string, object>> RunAsync(int hostCount, int[] levels, int rows, int guestFeatures, int hostFeatures,
        bool quiet, CancellationToken ct)
    {
        string directory = Path.Combine(Path.GetTempPath(), "vfl-bench-serving-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var files = new SyntheticFederation
            {
                Rows = rows, Overlap = 1.0, Hosts = hostCount, GuestFeatures = guestFeatures, HostFeatures = hostFeatures, Seed = 3,
            }.WriteTo(Path.Combine(directory, "data"));
            using var federation = LocalFederation.Prepare(directory, files.GuestPath, files.HostPaths, null, allowSmallBatches: true);
            foreach (var host in federation.Hosts)   // the bench measures speed, not the hosts' limits
                File.AppendAllText(federation.ConfigPath(host), "policy:\n  serving_ids_per_second: 1000000\n  serving_burst: 1000000\n  serving_ids_per_day: 100000000\n");
            Say(quiet, $"starting {federation.Parties.Count} parties (logs in {directory})");
            await federation.StartAsync(TimeSpan.FromSeconds(150), ct);
            using var connection = OperatorConnection.Open(federation.GuestConfig, TimeSpan.FromMinutes(10));
            var op = connection.Operator;
            string modelJob = await TrainAsync(connection, federation, ct);
            Say(quiet, $"model job {modelJob} trained; deploying");
            await op.DeployAsync(new DeployRequest { Name = "bench", ModelJobId = modelJob }, cancellationToken: ct);
            var ids = File.ReadLines(files.GuestPath).Skip(1).Select(l => l.Split(',')[0]).ToArray();
            await MeasureAsync(op, ids.Take(200).ToArray(), 4, ct);   // warm-up, not reported
            var results = new List<object>();
            foreach (int level in levels)
            {
                var (p50, p99, perSecond, failed) = await MeasureAsync(op, ids, level, ct);
                Say(quiet, string.Create(CultureInfo.InvariantCulture, $"concurrency {level}: p50 {p50:0.00} ms, p99 {p99:0.00} ms, {perSecond:0} predictions/s"));
                results.Add(new { concurrency = level, requests = ids.Length, p50_ms = Round(p50), p99_ms = Round(p99), predictions_per_s = Math.Round(perSecond), failed });
            }
            var clock = Stopwatch.StartNew();
            var batch = await op.PredictAsync(new PredictRequest { ModelJobId = modelJob, OutputPath = Path.Combine(directory, "batch.csv") }, cancellationToken: ct);
            double batchSeconds = clock.Elapsed.TotalSeconds;
            return new Dictionary<string, object>
            {
                ["hosts"] = hostCount,
                ["guest_features"] = guestFeatures,
                ["host_features"] = hostFeatures,
                ["cores"] = Environment.ProcessorCount,
                ["load_average"] = LoadAverage(),
                ["online"] = results,
                ["batch"] = new { rows = batch.Rows, seconds = Round(batchSeconds), predictions_per_s = Math.Round(batch.Rows / batchSeconds) },
            };
        }
        finally
        {
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Each id once, one per request, from <paramref name="concurrency"/> clients; latency measured at the client.</summary>
    private static async Task<(double P50, double P99, double PerSecond, int Failed)> MeasureAsync(
        Contracts.V1.Operator.OperatorClient op, string[] ids, int concurrency, CancellationToken ct)
    {
        var latencies = new double[ids.Length];
        int next = -1, failed = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            for (int i = Interlocked.Increment(ref next); i < ids.Length; i = Interlocked.Increment(ref next))
            {
                long start = Stopwatch.GetTimestamp();
                try
                {
                    var reply = await op.PredictOnlineAsync(new OnlinePredictRequest { Name = "bench", Ids = { ids[i] } }, cancellationToken: ct);
                    if (reply.Scores[0].Error.Length > 0) Interlocked.Increment(ref failed);
                }
                catch (Grpc.Core.RpcException)
                {
                    Interlocked.Increment(ref failed);
                }
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }, ct)));
        double seconds = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        return (Percentile(latencies, 0.50), Percentile(latencies, 0.99), ids.Length / seconds, failed);
    }

    private static async Task<string> TrainAsync(OperatorConnection connection, LocalFederation federation, CancellationToken ct)
    {
        string hosts = string.Join(", ", federation.Hosts.Select(h => $"{h}: subscribers"));
        string spec = $"""
            name: bench-serving
            psi: {'{'} id_column: id {'}'}
            data:
              guest: customers
              label_column: y
              hosts: {'{'} {hosts} {'}'}
            arbiter: arbiter
            training:
              epochs: 1
              batch_size: 1024
              early_stop: weight_diff
            """;
        var submitted = await connection.Operator.SubmitAsync(new SubmitJobRequest { SpecYaml = spec, Source = "bench-serving" }, cancellationToken: ct);
        await JobWatcher.FollowAsync(connection, submitted.JobId, quiet: true, ct);
        var report = await connection.Operator.GetAsync(new JobRef { JobId = submitted.JobId }, cancellationToken: ct);
        if (report.Summary.State != "succeeded")
            throw new JobFailedException($"the training job for the bench {report.Summary.State}: {report.Summary.Reason}");
        return submitted.JobId;
    }

    private static double Percentile(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    private static double Round(double value) => Math.Round(value, 2);

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string Text(Dictionary<string, object> figures) => JsonSerializer.Serialize(figures);

    private static void Say(bool quiet, string line)
    {
        if (!quiet) Console.Error.WriteLine(line);
    }
}
