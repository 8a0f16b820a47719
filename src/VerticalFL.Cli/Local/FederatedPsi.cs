using System.Diagnostics;
using Grpc.Core;
using VerticalFL.Cli.Operator;
using VerticalFL.Contracts.V1;
using VerticalFL.Ml.Data;
using VerticalFL.Storage;
using JobState = VerticalFL.Storage.JobState;
using VerticalFL.Crypto.Io;

namespace VerticalFL.Cli.Local;

/// <summary>
/// `vfl psi` for real: the left file's owner (guest) and the right file's owner (host) run as two processes
/// over mTLS gRPC, each reading only its own file; their aligned rows are then copied to the output
/// directory. On any failure nothing is written there.
/// </summary>
internal static class FederatedPsi
{
    public sealed record Result(long Intersection, string LeftPath, string RightPath, double Seconds);

    /// <param name="quiet">No progress bar (for --json; none is drawn when output is redirected anyway).</param>
    public static async Task<Result> RunAsync(string left, string right, string idColumn, bool keepFirst, string outDir, CancellationToken ct, bool quiet = true)
    {
        foreach (var file in new[] { left, right })
            if (!File.Exists(file)) throw new BadInputException($"{file}: file not found.");
        var clock = Stopwatch.StartNew();
        string workDir = Path.Combine(Path.GetTempPath(), $"vfl-psi-{Guid.NewGuid():N}"[..20]);
        try
        {
            using var federation = LocalFederation.Prepare(workDir, left, [right], guestStore: null, withArbiter: false);
            await federation.StartAsync(TimeSpan.FromSeconds(60), ct);
            string jobId = await RunJobAsync(federation, idColumn, keepFirst, left, right, quiet, ct);
            string host = federation.Hosts[0];
            await WaitForHostAsync(federation, host, jobId, ct);
            var leftOut = Publish(Aligned(federation, LocalFederation.Guest, jobId), Path.Combine(outDir, "left.csv"));
            var rightOut = Publish(Aligned(federation, host, jobId), Path.Combine(outDir, "right.csv"));
            return new Result(File.ReadLines(leftOut).LongCount() - 1, leftOut, rightOut, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            try { Directory.Delete(workDir, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<string> RunJobAsync(LocalFederation federation, string idColumn, bool keepFirst, string left, string right, bool quiet, CancellationToken ct)
    {
        string spec = $"""
            name: psi
            kind: psi
            psi: {'{'} id_column: "{idColumn}", duplicates: {(keepFirst ? "keep_first" : "error")} {'}'}
            data:
              guest: customers
              hosts: {'{'} {federation.Hosts[0]}: subscribers {'}'}
            """;
        using var connection = OperatorConnection.Open(federation.GuestConfig, TimeSpan.FromMinutes(30));
        try
        {
            var submitted = await connection.Operator.SubmitAsync(new SubmitJobRequest { SpecYaml = spec, Source = "vfl psi" }, cancellationToken: ct);
            await JobWatcher.FollowAsync(connection, submitted.JobId, quiet, ct, psiOnly: true);
            var report = await connection.Operator.GetAsync(new JobRef { JobId = submitted.JobId }, cancellationToken: ct);
            if (report.Summary.State != "succeeded")
                throw Failure(report.Summary.Reason, left, right);
            return submitted.JobId;
        }
        catch (RpcException e)
        {
            throw OperatorConnection.Translate(e);
        }
    }

    /// <summary>The host writes its aligned rows after the guest has its answer; wait for the host's job to end.</summary>
    private static async Task WaitForHostAsync(LocalFederation federation, string host, string jobId, CancellationToken ct)
    {
        using var store = await VflStore.OpenAsync("sqlite:" + Path.Combine(federation.Directory, host, "vfl.db"), ct);
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            var job = await store.Jobs.GetAsync(jobId, ct);
            if (job is { State: JobState.Succeeded }) return;
            if (job is { State: JobState.Failed or JobState.Cancelled } || DateTime.UtcNow > deadline)
                throw new JobFailedException($"the host's side of the intersection did not finish: {job?.Reason ?? "timed out"}");
            await Task.Delay(100, ct);
        }
    }

    private static string Aligned(LocalFederation federation, string party, string jobId) =>
        Path.Combine(federation.Directory, party, "jobs", jobId, "aligned.csv");

    /// <summary>Copies into place atomically: a reader of the output never sees half a file.</summary>
    private static string Publish(string source, string destination)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        AtomicFile.Write(destination, stream =>
        {
            using var input = File.OpenRead(source);
            input.CopyTo(stream);
        }, isPrivate: true);
        return Path.GetFullPath(destination);
    }

    /// <summary>A reason about the input data is bad input (exit 2); anything else a failed job (exit 1).</summary>
    private static Exception Failure(string reason, string left, string right) =>
        BadDataReason.Matches(reason, [left, right]) ? new BadInputException(reason) : new JobFailedException(reason);
}
