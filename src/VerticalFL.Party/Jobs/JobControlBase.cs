using System.Runtime.CompilerServices;
using VerticalFL.Contracts.V1;
using VerticalFL.Ml.Data;
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

    /// <summary>
    /// Accepts a proposal when <see cref="Prepare"/> does: records the job as pending and starts its work
    /// in the background. A spec this party cannot run is declined with the reason, and nothing is stored.
    /// </summary>
    public virtual async Task<JobAcceptance> ProposeAsync(string caller, JobProposal proposal, CancellationToken cancellationToken)
    {
        if (JobIds.Problem(proposal.JobId, "job_id") is { } badId)
            return Decline(proposal.JobId, badId);
        var spec = JobProposals.Spec(proposal);
        Func<JobRun, CancellationToken, Task> work;
        try
        {
            await JobReferences.CheckAsync(Node.Store.Jobs, Node.Id, caller, spec, cancellationToken);
            work = Prepare(proposal.JobId, caller, spec);
        }
        catch (BadInputException e)
        {
            return Decline(proposal.JobId, e.Message);
        }
        await JobProposals.RecordAsync(Node, proposal, cancellationToken);
        Node.Jobs.Start(proposal.JobId, AwaitingTheGuestsWordOnLoss(proposal.JobId, caller, work), guest: caller);
        return Accept(proposal.JobId);
    }

    /// <summary>
    /// The guest decides how a job ends. When this party's work fails because the guest cannot be reached, the guest may be
    /// restarting (it then tells every participant the job's end) or gone (the watchdog then ends the job): so the job
    /// waits for that word, which every party then stores alike, and fails with its own cause only if none comes.
    /// </summary>
    private Func<JobRun, CancellationToken, Task> AwaitingTheGuestsWordOnLoss(string jobId, string guest, Func<JobRun, CancellationToken, Task> work) =>
        async (run, ct) =>
        {
            try
            {
                await work(run, ct);
            }
            catch (PeerUnreachableException e) when (e.Peer == guest && !ct.IsCancellationRequested)
            {
                var wait = TimeSpan.FromSeconds(Node.Config.WatchdogSeconds * 1.5);
                await Node.Store.Jobs.NoteAsync(jobId, $"{e.Message}; waiting up to {wait.TotalSeconds:0} s for word from the guest on the job's end", CancellationToken.None);
                await Task.Delay(wait, ct);   // ended meanwhile by the guest's word or the watchdog: the job ends as they say
                throw;
            }
        };

    /// <summary>Checks that this party can run the job (throwing <see cref="BadInputException"/> if not) and returns its work.</summary>
    protected abstract Func<JobRun, CancellationToken, Task> Prepare(string jobId, string guest, JobSpec spec);

    /// <summary>
    /// The job's guest ends the job here: in the outcome it names, with its reason as given (so every party stores the
    /// same final state and reason), or, with no outcome, cancelled "by" the caller.
    /// </summary>
    public async Task<CancelJobReply> CancelAsync(string caller, CancelJobRequest request, CancellationToken cancellationToken)
    {
        string reason = string.IsNullOrWhiteSpace(request.Reason) ? $"ended by {caller}, no reason given" : request.Reason;
        var after = request.Outcome switch
        {
            Contracts.V1.JobState.Failed => await Node.Jobs.EndAsync(request.JobId, Storage.JobState.Failed, reason, cancellationToken),
            Contracts.V1.JobState.Cancelled => await Node.Jobs.EndAsync(request.JobId, Storage.JobState.Cancelled, reason, cancellationToken),
            Contracts.V1.JobState.Unspecified => await Node.Jobs.CancelAsync(request.JobId, caller, request.Reason, cancellationToken),
            _ => throw new ArgumentException($"outcome {request.Outcome}: a job is ended as JOB_STATE_FAILED or JOB_STATE_CANCELLED"),
        };
        return new CancelJobReply { JobId = after.Id, State = JobStatus.WireStateOf(after.State) };
    }

    /// <summary>A status call from the job's guest is also its keep-alive: the job's watchdog starts again.</summary>
    public virtual async Task<JobStatusReply> StatusAsync(string caller, JobStatusRequest request, CancellationToken cancellationToken)
    {
        var job = await RequireAsync(request.JobId, cancellationToken);
        if (job.Initiator == caller)
            Node.Jobs.Heard(job.Id);
        return Shared(JobStatus.Of(job));
    }

    public async IAsyncEnumerable<JobStatusReply> WatchAsync(string caller, JobStatusRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var job in JobStatus.WatchAsync(Node.Store.Jobs, request.JobId, TimeSpan.FromMilliseconds(250), cancellationToken))
            yield return Shared(JobStatus.Of(job));
    }

    protected async Task<JobRecord> RequireAsync(string jobId, CancellationToken cancellationToken) =>
        await Node.Store.Jobs.GetAsync(jobId, cancellationToken) ?? throw new KeyNotFoundException($"No job '{jobId}' at '{Node.Id}'.");

    /// <summary>A refusal; its reason crosses to the guest only as far as <see cref="SharedReasons"/> allows.</summary>
    protected JobAcceptance Decline(string jobId, string reason) =>
        new() { JobId = jobId, Accepted = false, Reason = Node.SharedReasons.Share(jobId, reason) };

    /// <summary>A status as the guest may read it: a reason that would disclose this party's internals is replaced by a reference.</summary>
    private JobStatusReply Shared(JobStatusReply status)
    {
        status.Message = Node.SharedReasons.Share(status.JobId, status.Message);
        return status;
    }

    protected static JobAcceptance Accept(string jobId) => new() { JobId = jobId, Accepted = true };
}
