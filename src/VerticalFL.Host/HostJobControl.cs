using VerticalFL.Contracts.V1;
using VerticalFL.Ml.Data;
using VerticalFL.Party.Hosting;
using VerticalFL.Party.Jobs;

namespace VerticalFL.Host;

/// <summary>A host accepts a trusted guest's job if it names this host and a data source the host has.</summary>
internal sealed class HostJobControl(PartyNode node) : JobControlBase(node)
{
    public override async Task<JobAcceptance> ProposeAsync(string caller, JobProposal proposal, CancellationToken cancellationToken)
    {
        var spec = JobProposals.Spec(proposal);
        if (!spec.Data.Hosts.TryGetValue(Node.Id, out var dataName))
            return Decline(proposal.JobId, $"the job names no data for host '{Node.Id}'");
        string dataPath;
        try
        {
            dataPath = Node.Config.DataPath(dataName);
            JobParameters.Training(spec);
        }
        catch (BadInputException e)
        {
            return Decline(proposal.JobId, e.Message);
        }
        await JobProposals.RecordAsync(Node, proposal, cancellationToken);
        var job = new HostJob(Node, proposal.JobId, caller, spec, dataPath);
        Node.Jobs.Start(proposal.JobId, job.RunAsync);
        return Accept(proposal.JobId);
    }
}
