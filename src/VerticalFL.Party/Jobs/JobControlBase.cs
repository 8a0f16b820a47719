using System.Runtime.CompilerServices;
using VerticalFL.Contracts.V1;
using VerticalFL.Party.Hosting;
using VerticalFL.Storage;
using VerticalFL.Transport.Server;

namespace VerticalFL.Party.Jobs;

/// <summary>
/// Job control every role answers the same way: status, watch and cancel from this party's store and
/// running jobs. Roles add what a proposal means to them.
/// </summary>
public abstract class JobControlBase(PartyNode node) : IJobControlHandler
{
    protected PartyNode Node { get; } = node;

    public abstract Task<JobAcceptance> ProposeAsync(string caller, JobProposal proposal, CancellationToken cancellationToken);

    public async Task<CancelJobReply> CancelAsync(string caller, CancelJobRequest request, CancellationToken cancellationToken)
    {
        var job = await RequireAsync(request.JobId, cancellationToken);
        string reason = $"cancelled by {caller}: {(string.IsNullOrWhiteSpace(request.Reason) ? "no reason given" : request.Reason)}";
        if (!Node.Jobs.Cancel(job.Id, reason) && !job.State.IsTerminal())
            await Node.Store.Jobs.CancelAsync(job.Id, reason, cancellationToken);
        await Node.Jobs.WaitAsync(job.Id);
        var after = await RequireAsync(job.Id, cancellationToken);
        return new CancelJobReply { JobId = after.Id, State = JobStatus.WireStateOf(after.State) };
    }

    public async Task<JobStatusReply> StatusAsync(string caller, JobStatusRequest request, CancellationToken cancellationToken) =>
        JobStatus.Of(await RequireAsync(request.JobId, cancellationToken));

    public async IAsyncEnumerable<JobStatusReply> WatchAsync(string caller, JobStatusRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var job in JobStatus.WatchAsync(Node.Store.Jobs, request.JobId, TimeSpan.FromMilliseconds(250), cancellationToken))
            yield return JobStatus.Of(job);
    }

    protected async Task<JobRecord> RequireAsync(string jobId, CancellationToken cancellationToken) =>
        await Node.Store.Jobs.GetAsync(jobId, cancellationToken) ?? throw new KeyNotFoundException($"No job '{jobId}' at '{Node.Id}'.");

    protected static JobAcceptance Decline(string jobId, string reason) => new() { JobId = jobId, Accepted = false, Reason = reason };

    protected static JobAcceptance Accept(string jobId) => new() { JobId = jobId, Accepted = true };
}
