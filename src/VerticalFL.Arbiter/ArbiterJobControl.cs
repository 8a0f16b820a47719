using VerticalFL.Contracts.V1;
using VerticalFL.Ml.Data;
using VerticalFL.Party.Hosting;
using VerticalFL.Party.Jobs;

namespace VerticalFL.Arbiter;

/// <summary>The arbiter accepts a trusted guest's job if it is the job's arbiter and the parameters are valid.</summary>
internal sealed class ArbiterJobControl(PartyNode node) : JobControlBase(node)
{
    public override async Task<JobAcceptance> ProposeAsync(string caller, JobProposal proposal, CancellationToken cancellationToken)
    {
        var spec = JobProposals.Spec(proposal);
        if (spec.Arbiter != Node.Id)
            return Decline(proposal.JobId, $"the job's arbiter is '{spec.Arbiter}', not '{Node.Id}'");
        try
        {
            JobParameters.Training(spec);
        }
        catch (BadInputException e)
        {
            return Decline(proposal.JobId, e.Message);
        }
        await JobProposals.RecordAsync(Node, proposal, cancellationToken);
        var job = new ArbiterJob(Node, proposal.JobId, caller, spec);
        Node.Jobs.Start(proposal.JobId, job.RunAsync);
        return Accept(proposal.JobId);
    }
}
