using VerticalFL.Contracts.V1;
using VerticalFL.Party.Hosting;
using VerticalFL.Party.Jobs;

namespace VerticalFL.Guest;

/// <summary>A guest initiates jobs; it answers status calls from the parties of its jobs but takes no proposals.</summary>
internal sealed class GuestJobControl(PartyNode node) : JobControlBase(node)
{
    public override Task<JobAcceptance> ProposeAsync(string caller, JobProposal proposal, CancellationToken cancellationToken) =>
        Task.FromResult(Decline(proposal.JobId, $"'{Node.Id}' is a guest and does not join other guests' jobs"));
}
