using VerticalFL.Ml.Data;
using VerticalFL.Party.Hosting;
using VerticalFL.Party.Jobs;

namespace VerticalFL.Host;

/// <summary>A host accepts a trusted guest's job if it names this host and a data source the host has.</summary>
internal sealed class HostJobControl(PartyNode node) : JobControlBase(node)
{
    protected override Func<JobRun, CancellationToken, Task> Prepare(string jobId, string guest, JobSpec spec)
    {
        if (!spec.Data.Hosts.TryGetValue(Node.Id, out var dataName))
            throw new BadInputException($"the job names no data for host '{Node.Id}'");
        string dataPath = Node.Config.DataPath(dataName);
        JobParameters.Training(spec);
        return new HostJob(Node, jobId, guest, spec, dataPath).RunAsync;
    }
}
