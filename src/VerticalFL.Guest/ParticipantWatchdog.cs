using Grpc.Core;
using VerticalFL.Contracts.V1;
using VerticalFL.Party.Hosting;
using VerticalFL.Party.Jobs;
using VerticalFL.Storage;

namespace VerticalFL.Guest;

/// <summary>
/// Runs a guest job while watching the other parties: if one fails, cancels or stops answering, the
/// guest's job fails at once with that reason instead of waiting out a receive timeout. However the guest's job
/// ends badly, the others are told the same end (<see cref="EndEverywhere"/>). The status calls are also the
/// guest's keep-alive: a host or arbiter that hears none for its watchdog period fails the job on its side.
/// </summary>
/// <param name="essential">The participants whose failure ends the job (default: all). The others are still sent the
/// keep-alive status calls, and a failure of theirs is noted in the store, but the job goes on.</param>
internal sealed class ParticipantWatchdog(PartyNode node, string jobId, IReadOnlyList<JobParty> participants, Func<JobParty, bool>? essential = null)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private const int UnreachableChecks = 5;

    /// <summary>The work raced against status checks of every participant (once all have the job).</summary>
    public Func<JobRun, CancellationToken, Task> Watch(Func<JobRun, CancellationToken, Task> work) => async (run, ct) =>
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var job = work(run, stop.Token);
        var watch = WatchAsync(stop.Token);
        try
        {
            if (await Task.WhenAny(job, watch) == watch && await watch is { } reason)
            {
                await stop.CancelAsync();
                await Task.WhenAny(job);   // let the work unwind; its own error is less informative than the reason
                throw new ParticipantEndedException(reason, null);
            }
            await job;
        }
        finally
        {
            await stop.CancelAsync();
        }
    };

    /// <summary>
    /// The job's whole run at the guest (opening included): when it ends badly, every other participant is told the
    /// end the guest stores. Cancelled: "cancelled by the guest's operator: …". A participant's failure: "telecom
    /// failed: …" as that participant shared it. Anything else: "failed at the guest: …", shared as far as it may cross.
    /// </summary>
    public Func<JobRun, CancellationToken, Task> EndEverywhere(Func<JobRun, CancellationToken, Task> body) => async (run, ct) =>
    {
        try
        {
            await body(run, ct);
        }
        catch (Exception e)
        {
            // The work may have failed because a participant ended its side (e.g. it is shutting down): then that is the cause.
            string? peerReason = e is ParticipantEndedException ended ? ended.Message
                : ct.IsCancellationRequested || !LostPeer(e) ? null : await EndedPeerAsync();
            var (outcome, shared) = ct.IsCancellationRequested && run.Ending is { } ending
                ? (ending.State, ending.State == Storage.JobState.Cancelled ? ending.Reason : node.SharedReasons.FailedAtGuest(jobId, ending.Reason))
                : (Storage.JobState.Failed, peerReason ?? node.SharedReasons.FailedAtGuest(jobId, JobFailure.Describe(e)));
            await new JobCancellation(node).NotifyAsync(jobId, participants, outcome, shared);
            if (peerReason is not null && e is not ParticipantEndedException)
                throw new ParticipantEndedException(peerReason, e);
            throw;
        }
    };

    /// <summary>Completes with a reason when a participant has failed, or null when stopped.</summary>
    private async Task<string?> WatchAsync(CancellationToken ct)
    {
        var misses = participants.Where(p => p.PartyId != node.Id).ToDictionary(p => p.PartyId, _ => 0);
        var essentials = participants.Where(p => essential?.Invoke(p) ?? true).Select(p => p.PartyId).ToHashSet();
        try
        {
            while (true)
            {
                await Task.Delay(Interval, ct);
                foreach (var peer in misses.Keys.ToList())
                {
                    var problem = await CheckAsync(peer, misses, ct);
                    if (problem is null) continue;
                    if (essentials.Contains(peer)) return problem;
                    misses.Remove(peer);   // the job goes on without it; no more calls to it
                    try
                    {
                        await node.Store.Jobs.NoteAsync(jobId, $"{problem}; the job goes on without it", ct);
                    }
                    catch (JobTransitionException)
                    {
                        // The job has just ended: nothing to note.
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>One round of status checks after the work failed: the first participant that failed or cancelled, with its reason.</summary>
    private async Task<string?> EndedPeerAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        foreach (var peer in participants.Select(p => p.PartyId).Where(p => p != node.Id))
        {
            try
            {
                if (await EndedAsync(peer, timeout.Token) is { } reason) return reason;
            }
            catch (Exception)
            {
                // Best effort: the work's own error stands.
            }
        }
        return null;
    }

    private async Task<string?> CheckAsync(string peer, Dictionary<string, int> misses, CancellationToken ct)
    {
        try
        {
            var reason = await EndedAsync(peer, ct);
            misses[peer] = 0;
            return reason;
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            return ++misses[peer] >= UnreachableChecks ? node.Client.Describe(peer, e) : null;
        }
    }

    /// <summary>"telecom failed: REASON" when the peer's side of the job has ended badly, else null.</summary>
    private async Task<string?> EndedAsync(string peer, CancellationToken ct)
    {
        var status = await node.Client.JobControl(peer).StatusAsync(new JobStatusRequest { JobId = jobId },
            deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: ct);
        return status.State is Contracts.V1.JobState.Failed or Contracts.V1.JobState.Cancelled
            ? $"{peer} {status.State.ToString().ToLowerInvariant()}: {status.Message}"
            : null;
    }

    /// <summary>The work failed talking to a peer (not on its own terms): a participant's own reason may explain it better.</summary>
    private static bool LostPeer(Exception e) =>
        e is PeerUnreachableException or RpcException or TimeoutException or IOException
        || (e is AggregateException { InnerExceptions.Count: 1 } a && LostPeer(a.InnerExceptions[0]));

    /// <summary>A participant ended its side of the job; the message is the cause the operator sees.</summary>
    private sealed class ParticipantEndedException(string message, Exception? inner) : InvalidOperationException(message, inner);
}
