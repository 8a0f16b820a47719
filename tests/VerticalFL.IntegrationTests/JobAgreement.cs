using Grpc.Core;
using VerticalFL.Cli.Operator;
using VerticalFL.Contracts.V1;
using VerticalFL.Storage;

namespace VerticalFL.IntegrationTests;

/// <summary>
/// What each party's own operator sees of one job once it has ended there: <c>vfl job show</c> at that party (its own
/// certificate, its own store), or, for a party whose process is down, its store file. Issue 14: every party must end
/// every job in the same terminal state with the same reason.
/// </summary>
internal static class JobAgreement
{
    /// <summary>One party's end of a job; <see cref="Absent"/> when the party has no record of it.</summary>
    internal sealed record End(string State, string Reason)
    {
        public override string ToString() => $"{State}: {Reason}";
    }

    internal static readonly End Absent = new("absent", "");

    /// <summary>Each party's end of <paramref name="jobId"/>, waiting (up to <paramref name="within"/>) for each to end it.</summary>
    public static async Task<IReadOnlyDictionary<string, End>> EndsAsync(RunningFederation federation, string jobId, TimeSpan? within = null,
        IEnumerable<string>? parties = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        var ends = new Dictionary<string, End>();
        foreach (var party in parties ?? federation.Federation.Parties)
        {
            End end;
            while (!IsFinal(end = await SeenAsync(federation, party, jobId)) && DateTime.UtcNow < deadline)
                await Task.Delay(250);
            ends[party] = end;
        }
        return ends;
    }

    /// <summary>"bank=failed: …; telecom=…", for assertion messages.</summary>
    public static string Describe(IReadOnlyDictionary<string, End> ends) => string.Join("; ", ends.Select(e => $"{e.Key}={e.Value}"));

    /// <summary>Every party stored the same state and exactly the same reason.</summary>
    public static void AssertSame(IReadOnlyDictionary<string, End> ends, string state, string reason)
    {
        foreach (var (party, end) in ends)
            Assert.True(end == new End(state, reason), $"{party} ended '{end}', expected '{state}: {reason}' everywhere ({Describe(ends)})");
    }

    private static bool IsFinal(End end) => end.State is "succeeded" or "failed" or "cancelled" or "absent";

    /// <summary>The party's record of the job now (not waiting for it to end).</summary>
    public static async Task<End> SeenAsync(RunningFederation federation, string party, string jobId)
    {
        try
        {
            using var connection = OperatorConnection.Open(federation.Federation.ConfigPath(party), TimeSpan.FromSeconds(10));
            var report = await connection.Operator.GetAsync(new JobRef { JobId = jobId });
            return new End(report.Summary.State, report.Summary.Reason);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return Absent;
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            // The party is down: what its operator will find in its store.
            using var store = await VflStore.OpenAsync("sqlite:" + Path.Combine(federation.Directory, party, "vfl.db"));
            var job = await store.Jobs.GetAsync(jobId);
            return job is null ? Absent : new End(job.State.ToString().ToLowerInvariant(), job.Reason ?? "");
        }
    }
}
