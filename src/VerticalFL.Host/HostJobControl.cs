using VerticalFL.Contracts.V1;
using VerticalFL.Ml.Data;
using VerticalFL.Party.Hosting;
using VerticalFL.Party.Jobs;

namespace VerticalFL.Host;

/// <summary>
/// A host accepts a trusted guest's job if it names this host and a data source the host has, and the host's
/// policy allows it (<see cref="HostAdmission"/>); under <c>policy.require_approval</c> the job then waits for
/// the host operator (<see cref="HostApprovals"/>).
/// </summary>
internal sealed class HostJobControl(PartyNode node, HostApprovals approvals) : JobControlBase(node)
{
    private readonly HostAdmission _admission = new(node);
    // Admission and recording happen one proposal at a time, so two proposals cannot both take a quota's last place.
    private readonly SemaphoreSlim _admitting = new(1, 1);

    public override async Task<JobAcceptance> ProposeAsync(string caller, JobProposal proposal, CancellationToken cancellationToken)
    {
        JobSpec spec;
        try
        {
            spec = JobProposals.Spec(proposal);
        }
        catch (BadInputException e)
        {
            return Decline(proposal.JobId, e.Message);
        }
        await _admitting.WaitAsync(cancellationToken);
        try
        {
            if (await _admission.RefusalAsync(caller, proposal, spec, cancellationToken) is { } refusal)
                return Decline(proposal.JobId, refusal);
            if (!Node.Config.Policy.RequireApproval)
                return await base.ProposeAsync(caller, proposal, cancellationToken);
            return await ProposeForApprovalAsync(caller, proposal, cancellationToken);
        }
        finally
        {
            _admitting.Release();
        }
    }

    public override async Task<JobStatusReply> StatusAsync(string caller, JobStatusRequest request, CancellationToken cancellationToken)
    {
        var status = await base.StatusAsync(caller, request, cancellationToken);
        status.AwaitingApproval = approvals.IsAwaiting(request.JobId);
        return status;
    }

    protected override Func<JobRun, CancellationToken, Task> Prepare(string jobId, string guest, JobSpec spec)
    {
        if (!spec.Data.Hosts.TryGetValue(Node.Id, out var dataName))
            throw new BadInputException($"the job names no data for host '{Node.Id}'");
        string dataPath = Node.Config.DataPath(dataName);
        if (spec.Kind == JobKinds.Horizontal)
            HorizontalTraining.Parameters(spec);
        else
            JobParameters.Training(spec);
        var work = new HostJob(Node, jobId, guest, spec, dataPath).RunAsync;
        if (!Node.Config.Policy.RequireApproval)
            return work;
        var timeout = TimeSpan.FromSeconds(Node.Config.Policy.ApprovalTimeoutSeconds);
        return async (run, ct) =>
        {
            await approvals.WaitAsync(Node.Id, jobId, timeout, ct);
            await Node.Store.Jobs.NoteAsync(jobId, $"approved by {Node.Id}'s operator", ct);
            await work(run, ct);
        };
    }

    private async Task<JobAcceptance> ProposeForApprovalAsync(string caller, JobProposal proposal, CancellationToken ct)
    {
        approvals.Open(proposal.JobId);
        JobAcceptance answer;
        try
        {
            answer = await base.ProposeAsync(caller, proposal, ct);
        }
        catch
        {
            approvals.Forget(proposal.JobId);
            throw;
        }
        if (!answer.Accepted)
        {
            approvals.Forget(proposal.JobId);
            return answer;
        }
        if (approvals.IsAwaiting(proposal.JobId))
            await Node.Store.Jobs.NoteAsync(proposal.JobId, AwaitingNote(Node.Id), ct);
        answer.AwaitingApproval = true;
        return answer;
    }

    internal static string AwaitingNote(string host) => $"awaiting approval by {host}'s operator (policy.require_approval)";
}
