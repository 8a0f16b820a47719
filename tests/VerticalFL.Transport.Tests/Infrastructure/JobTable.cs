using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using VerticalFL.Contracts.V1;
using VerticalFL.Transport.Security;
using VerticalFL.Transport.Server;

namespace VerticalFL.Transport.Tests.Infrastructure;

/// <summary>
/// An in-memory job table for the tests: membership for the authorizer and a small job-control
/// handler whose state the tests inspect (to prove that denied calls changed nothing).
/// </summary>
internal sealed class JobTable : IJobMembership, IJobControlHandler
{
    public const string Job = "job-1";

    private readonly ConcurrentDictionary<string, (HashSet<string> Parties, JobState State)> _jobs = new();

    public JobTable() => _jobs[Job] = (["guest", "host", "arbiter"], JobState.Running);

    public int Proposals { get; private set; }
    public int Cancellations { get; private set; }

    public JobState StateOf(string jobId) => _jobs.TryGetValue(jobId, out var job) ? job.State : JobState.Unspecified;

    public ValueTask<bool> IsParticipantAsync(string jobId, string partyId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_jobs.TryGetValue(jobId, out var job) && job.Parties.Contains(partyId));

    public Task<JobAcceptance> ProposeAsync(string caller, JobProposal proposal, CancellationToken cancellationToken)
    {
        Proposals++;
        bool added = _jobs.TryAdd(proposal.JobId, (proposal.Participants.Select(p => p.PartyId).ToHashSet(), JobState.Pending));
        return Task.FromResult(new JobAcceptance { JobId = proposal.JobId, Accepted = added, Reason = added ? "" : "job exists" });
    }

    public Task<CancelJobReply> CancelAsync(string caller, CancelJobRequest request, CancellationToken cancellationToken)
    {
        Cancellations++;
        var job = _jobs.TryGetValue(request.JobId, out var j) ? j : throw new KeyNotFoundException($"no job {request.JobId}");
        _jobs[request.JobId] = (job.Parties, JobState.Cancelled);
        return Task.FromResult(new CancelJobReply { JobId = request.JobId, State = JobState.Cancelled });
    }

    public Task<JobStatusReply> StatusAsync(string caller, JobStatusRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(new JobStatusReply { JobId = request.JobId, State = StateOf(request.JobId), Progress = 0.5 });

    public async IAsyncEnumerable<JobStatusReply> WatchAsync(string caller, JobStatusRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (int i = 1; i <= 3; i++)
        {
            await Task.Delay(10, cancellationToken);
            yield return new JobStatusReply { JobId = request.JobId, State = StateOf(request.JobId), Progress = i / 3.0 };
        }
    }
}
