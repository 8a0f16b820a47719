using VerticalFL.Contracts.V1;
using VerticalFL.Party.Hosting;
using VerticalFL.Storage;

namespace VerticalFL.Guest;

/// <summary>Tells the other parties of a job that it is over, so none waits for messages that will never come.</summary>
internal sealed class JobCancellation(PartyNode node)
{
    /// <summary>Best effort: a party that cannot be reached fails its side on its own receive timeout.</summary>
    public async Task NotifyAsync(string jobId, IEnumerable<JobParty> participants, string reason)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Task.WhenAll(participants.Where(p => p.PartyId != node.Id).Select(async p =>
        {
            try
            {
                await node.Client.JobControl(p.PartyId).CancelAsync(new CancelJobRequest { JobId = jobId, Reason = node.SharedReasons.Share(jobId, reason) },
                    cancellationToken: timeout.Token);
            }
            catch (Exception)
            {
                // Unreachable or the job is unknown there (it never accepted): nothing more to do.
            }
        }));
    }
}
