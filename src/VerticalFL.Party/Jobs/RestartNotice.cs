using Grpc.Core;
using Microsoft.Extensions.Logging;
using VerticalFL.Contracts.V1;
using VerticalFL.Party.Hosting;
using VerticalFL.Storage;

namespace VerticalFL.Party.Jobs;

/// <summary>
/// A guest that restarts fails the jobs it was running (their state died with the process) and tells their other
/// participants, who store the same end: failed, "failed at the guest: " and the guest's reason. So no host or arbiter
/// keeps such a job in "training". Best effort, in the background: a participant that is down as well fails the job
/// on its own watchdog (watchdog_seconds).
/// </summary>
internal static class RestartNotice
{
    private static readonly TimeSpan TryFor = TimeSpan.FromSeconds(30);

    public static Task SendAsync(PartyNode node, IReadOnlyList<JobRecord> failed) =>
        Task.WhenAll(failed.Where(job => job.Role == Storage.PartyRole.Guest)
            .SelectMany(job => job.Participants.Where(p => p.PartyId != node.Id)
                .Select(p => TellAsync(node, job.Id, p.PartyId, node.SharedReasons.FailedAtGuest(job.Id, job.Reason ?? "the guest restarted")))));

    private static async Task TellAsync(PartyNode node, string jobId, string party, string reason)
    {
        var giveUp = DateTime.UtcNow + TryFor;
        while (true)
        {
            try
            {
                await node.Client.JobControl(party).CancelAsync(new CancelJobRequest { JobId = jobId, Reason = reason, Outcome = Contracts.V1.JobState.Failed },
                    deadline: DateTime.UtcNow.AddSeconds(5));
                return;
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded && DateTime.UtcNow < giveUp)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
            catch (Exception e)
            {
                node.Loggers.CreateLogger("VerticalFL.Jobs").LogWarning("Job {JobId}: could not tell {Party} that this guest restarted: {Reason}",
                    jobId, party, e.Message);
                return;
            }
        }
    }
}
