using VerticalFL.Ml.Data;
using VerticalFL.Party.Hosting;
using VerticalFL.Party.Jobs;

namespace VerticalFL.Guest;

/// <summary>A guest initiates jobs; it answers status calls from the parties of its jobs but takes no proposals.</summary>
internal sealed class GuestJobControl(PartyNode node) : JobControlBase(node)
{
    protected override Func<JobRun, CancellationToken, Task> Prepare(string jobId, string guest, JobSpec spec) =>
        throw new BadInputException($"'{Node.Id}' is a guest and does not join other guests' jobs");
}
