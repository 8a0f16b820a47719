using Grpc.Core;
using VerticalFL.Contracts.V1;
using VerticalFL.Party.Hosting;
using VerticalFL.Storage;
using StoredRole = VerticalFL.Storage.PartyRole;

namespace VerticalFL.Guest;

/// <summary>
/// Has every participant accept a job, then sends <see cref="JobStart"/>. Hosts are asked first: a host whose
/// policy requires its operator's approval accepts with <c>awaiting_approval</c>, and the arbiter is asked (and
/// anyone sent JobStart) only once every such host has approved, so nobody's receive timeout runs while a host
/// operator decides. A refusal carries the host's reason: "telecom refused the job: …".
/// </summary>
internal sealed class JobOpening(PartyNode node, string jobId, JobProposal proposal, IReadOnlyList<JobParty> participants)
{
    private static readonly TimeSpan ProposalTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan UnreachableFor = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private const int UnreachablePolls = 10;

    /// <summary>Proposes to the hosts; returns those awaiting their operator, or starts the job at once and returns none.</summary>
    public async Task<IReadOnlyList<string>> OpenAsync(CancellationToken ct)
    {
        var awaiting = await ProposeAsync(participants.Where(p => p.Role == StoredRole.Host), ct);
        if (awaiting.Count > 0)
        {
            await node.Store.Jobs.NoteAsync(jobId, $"awaiting approval by {string.Join(", ", awaiting)}'s operator (host policy.require_approval)", ct);
            return awaiting;
        }
        await StartAsync(ct);
        return [];
    }

    /// <summary>The job's work preceded by the wait for <paramref name="awaiting"/> hosts' approval, then the rest of the opening.</summary>
    public Func<Party.Jobs.JobRun, CancellationToken, Task> AfterApproval(IReadOnlyList<string> awaiting, Func<Party.Jobs.JobRun, CancellationToken, Task> work) =>
        async (run, ct) =>
        {
            await Task.WhenAll(awaiting.Select(host => WaitForApprovalAsync(host, ct)));
            await node.Store.Jobs.NoteAsync(jobId, $"approved by {string.Join(", ", awaiting)}'s operator", ct);
            await StartAsync(ct);
            await work(run, ct);
        };

    private async Task StartAsync(CancellationToken ct)
    {
        await ProposeAsync(participants.Where(p => p.Role != StoredRole.Host && p.PartyId != node.Id), ct);
        await Party.Jobs.JobStartSignal.SendAsync(node.OpenChannel(jobId), participants.Select(p => p.PartyId), ct);
    }

    /// <summary>Proposes to each party at once; throws naming every refusal; returns the parties awaiting approval.</summary>
    private async Task<IReadOnlyList<string>> ProposeAsync(IEnumerable<JobParty> parties, CancellationToken ct)
    {
        var answers = await Task.WhenAll(parties.Select(async p => (Party: p.PartyId, Answer: await ProposeToAsync(p.PartyId, ct))));
        var refused = answers.Where(a => !a.Answer.Accepted).Select(a => $"{a.Party} refused the job: {a.Answer.Reason}").ToList();
        if (refused.Count > 0)
            throw new InvalidOperationException(string.Join("; ", refused));
        return [.. answers.Where(a => a.Answer.AwaitingApproval).Select(a => a.Party)];
    }

    /// <summary>
    /// Proposes to one party, retrying a refused connection for a few seconds (a peer that has just restarted is
    /// reached) but no longer: a peer that stays away fails the submit quickly, named with its address.
    /// </summary>
    private async Task<JobAcceptance> ProposeToAsync(string party, CancellationToken ct)
    {
        var giveUp = DateTime.UtcNow + UnreachableFor;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await node.Client.JobControl(party).ProposeAsync(proposal, deadline: DateTime.UtcNow + ProposalTimeout, cancellationToken: ct);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && DateTime.UtcNow < giveUp)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), ct);
            }
            catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled || !ct.IsCancellationRequested)
            {
                throw new InvalidOperationException($"{party} did not take the proposal: {node.Client.Describe(party, e)}", e);
            }
        }
    }

    /// <summary>Polls the host until its operator has decided; the host bounds the wait (policy.approval_timeout_seconds).</summary>
    private async Task WaitForApprovalAsync(string host, CancellationToken ct)
    {
        int misses = 0;
        while (true)
        {
            await Task.Delay(PollInterval, ct);
            JobStatusReply status;
            try
            {
                status = await node.Client.JobControl(host).StatusAsync(new JobStatusRequest { JobId = jobId },
                    deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: ct);
                misses = 0;
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
            {
                if (++misses >= UnreachablePolls)
                    throw new InvalidOperationException($"{host} became unreachable while the job awaited its operator's approval: {node.Client.Describe(host, e)}", e);
                continue;
            }
            if (status.State is Contracts.V1.JobState.Failed or Contracts.V1.JobState.Cancelled)
                throw new InvalidOperationException($"{host} refused the job: {status.Message}");
            if (!status.AwaitingApproval)
                return;
        }
    }
}
