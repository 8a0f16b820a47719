using System.Diagnostics;
using VerticalFL.Party.Hosting;
using VerticalFL.Party.Jobs;
using VerticalFL.Storage;

namespace VerticalFL.Guest;

/// <summary>A PSI-only job on the guest: the aligned rows of every party are the result.</summary>
internal sealed class GuestPsiJob(PartyNode node, string jobId, JobSpec spec, string dataPath)
{
    public async Task RunAsync(JobRun run, CancellationToken ct)
    {
        var workspace = node.Workspace(jobId).Create();
        await run.MoveToAsync(JobState.Psi, ct);
        var clock = Stopwatch.StartNew();
        long intersection = await GuestAlignment.RunAsync(node.OpenChannel(jobId), spec.HostIds.ToList(), spec, dataPath, workspace, run, ct);
        await JobResults.SaveIntersectionAsync(node, jobId, intersection, ct);
        new JobOutcome { Intersection = intersection, PsiSeconds = clock.Elapsed.TotalSeconds, BytesSent = node.BytesSent }.Save(workspace);
        await node.FlushAuditAsync(ct);
        await run.MoveToAsync(JobState.Succeeded, ct, $"{intersection} ids in common; aligned rows in {workspace.AlignedData}");
    }
}
