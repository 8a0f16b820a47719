using VerticalFL.Contracts.V1;
using VerticalFL.Party.Hosting;
using VerticalFL.Storage;
using WireState = VerticalFL.Contracts.V1.JobState;

namespace VerticalFL.Guest;

/// <summary>
/// Tells the other parties of a job how it ended (failed or cancelled, and why), so each stores the same end and
/// none waits for messages that will never come.
/// </summary>
internal sealed class JobCancellation(PartyNode node)
{
    /// <summary>
    /// Best effort: a party that cannot be reached fails its side on its own watchdog (watchdog_seconds).
    /// <paramref name="reason"/> is stored there as given: it must already be what that party may read.
    /// </summary>
    public async Task NotifyAsync(string jobId, IEnumerable<JobParty> participants, Storage.JobState outcome, string reason)
    {
        var request = new CancelJobRequest
        {
            JobId = jobId, Reason = reason, Outcome = outcome == Storage.JobState.Cancelled ? WireState.Cancelled : WireState.Failed,
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Task.WhenAll(participants.Where(p => p.PartyId != node.Id).Select(async p =>
        {
            try
            {
                await node.Client.JobControl(p.PartyId).CancelAsync(request, cancellationToken: timeout.Token);
            }
            catch (Exception)
            {
                // Unreachable or the job is unknown there (it never accepted): nothing more to do.
            }
        }));
    }
}
