using VerticalFL.Contracts.V1;
using VerticalFL.Protocol.Channels;

namespace VerticalFL.Party.Jobs;

/// <summary>
/// The second phase of starting a job. Proposals are accepted one party at a time; had a party started
/// sending at once, its first message could reach a party that has not recorded the job yet and be
/// refused. So every party waits for the guest's <see cref="JobStart"/>, sent when all have accepted.
/// </summary>
public static class JobStartSignal
{
    public static Task SendAsync(IPartyChannel channel, IEnumerable<string> participants, CancellationToken ct) =>
        channel.BroadcastAsync(participants.Where(p => p != channel.Self), new JobStart { JobId = channel.JobId }, Step.None, ct);

    public static Task WaitAsync(IPartyChannel channel, string guest, CancellationToken ct) =>
        channel.ReceiveAsync<JobStart>(guest, ct);
}
