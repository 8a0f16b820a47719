using Grpc.Core;
using VerticalFL.Contracts.V1;
using VerticalFL.Ml.Data;
using VerticalFL.Party.Jobs;
using VerticalFL.Storage;
using StoredState = VerticalFL.Storage.JobState;

namespace VerticalFL.Party.Operator;

/// <summary>
/// What every party's operator API answers the same way from the party's own store: a job's summary, the
/// list filtered by state, and the checks on the ids and states an operator types.
/// </summary>
public static class JobQueries
{
    /// <summary>The states an operator may filter by, as typed (lower case).</summary>
    public static IReadOnlyList<string> StateNames { get; } = Enum.GetNames<StoredState>().Select(s => s.ToLowerInvariant()).ToList();

    /// <summary>Parses a <c>--state</c> filter; empty means every state. Unknown names are refused listing the valid ones.</summary>
    public static StoredState? ParseState(string? state)
    {
        if (string.IsNullOrEmpty(state)) return null;
        if (StateNames.Contains(state.ToLowerInvariant()) && Enum.TryParse<StoredState>(state, ignoreCase: true, out var parsed))
            return parsed;
        throw new RpcException(new Status(StatusCode.InvalidArgument,
            $"state: unknown '{state}'; valid states are {string.Join(", ", StateNames)}"));
    }

    /// <summary>The job, or INVALID_ARGUMENT for a malformed (or empty) id, NOT_FOUND naming this party for an unknown one.</summary>
    public static async Task<JobRecord> RequireAsync(IJobStore store, string partyId, string? jobId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(jobId))
            throw new RpcException(new Status(StatusCode.InvalidArgument, "job_id is required"));
        if (JobIds.Problem(jobId, "job_id") is { } problem)
            throw new RpcException(new Status(StatusCode.InvalidArgument, problem));
        return await store.GetAsync(jobId, ct) ?? throw new RpcException(new Status(StatusCode.NotFound, $"no job '{jobId}' at {partyId}"));
    }

    public static async Task<ListJobsReply> ListAsync(IJobStore store, ListJobsRequest request, CancellationToken ct)
    {
        var list = await store.ListAsync(ParseState(request.State), request.Limit > 0 ? request.Limit : 50, ct);
        var reply = new ListJobsReply();
        reply.Jobs.AddRange(list.Select(Summary));
        return reply;
    }

    public static JobSummary Summary(JobRecord job) => new()
    {
        JobId = job.Id,
        Name = SafeName(job),
        State = job.State.Name(),
        Reason = job.Reason ?? "",
        CreatedUnixMs = new DateTimeOffset(job.CreatedUtc, TimeSpan.Zero).ToUnixTimeMilliseconds(),
        UpdatedUnixMs = new DateTimeOffset(job.UpdatedUtc, TimeSpan.Zero).ToUnixTimeMilliseconds(),
    };

    /// <summary>A job's spec as stored: YAML from an operator, or JSON for jobs a guest proposed or made itself.</summary>
    public static JobSpec StoredSpec(JobRecord job) =>
        job.Spec.TrimStart().StartsWith('{') ? JobSpec.FromJson(job.Spec, $"job {job.Id}") : JobSpec.ParseYaml(job.Spec, $"job {job.Id}");

    private static string SafeName(JobRecord job)
    {
        try { return StoredSpec(job).Name; }
        catch (BadInputException) { return ""; }
    }
}
