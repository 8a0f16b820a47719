using VerticalFL.Storage;

namespace VerticalFL.Board.Data;

/// <summary>
/// Which party a failed or cancelled job's reason points at. Reasons name the party the way the parties write them
/// (docs/operations.md, "How a job ends"): "telecom failed: …", "telecom refused the job: …", "telecom did not take
/// the proposal: …", "failed at the guest: …", "nothing heard from the job's guest bank …", "cancelled by the guest's
/// operator: …". Any other reason is this party's own.
/// </summary>
internal static class FailureAttribution
{
    private static readonly string[] PeerPhrases = [" failed:", " refused the job", " did not take the proposal", " at "];

    public static FailureView? Of(JobRecord job, string? thisParty)
    {
        if (job.State is not (JobState.Failed or JobState.Cancelled) || string.IsNullOrEmpty(job.Reason))
            return null;
        string reason = job.Reason;
        if (job.State == JobState.Cancelled)
            return new FailureView(reason, reason.StartsWith("cancelled by the guest", StringComparison.Ordinal) ? job.Initiator : thisParty,
                "cancelled");
        if (reason.StartsWith("failed at the guest", StringComparison.Ordinal))
            return new FailureView(reason, job.Initiator, "the guest's side failed");
        if (reason.StartsWith("nothing heard from the job's guest", StringComparison.Ordinal))
            return new FailureView(reason, job.Initiator, "the guest went silent");
        // The longest id first: "telecom2 failed" must not be read as "telecom".
        foreach (var party in job.Participants.OrderByDescending(p => p.PartyId.Length))
        {
            if (party.PartyId == thisParty) continue;
            foreach (var phrase in PeerPhrases)
                if (reason.StartsWith(party.PartyId + phrase, StringComparison.Ordinal))
                    return new FailureView(reason, party.PartyId, "reported by this party about a peer");
            if (reason.Contains($" {party.PartyId} failed:", StringComparison.Ordinal))
                return new FailureView(reason, party.PartyId, "reported by this party about a peer");
        }
        return new FailureView(reason, thisParty, "this party's own side failed");
    }

    /// <summary>This store's party: given, or the only participant with the job's role at this store.</summary>
    public static string? ThisParty(JobRecord job, string? known)
    {
        if (known is not null) return known;
        if (job.Role == PartyRole.Guest) return job.Initiator;
        var same = job.Participants.Where(p => p.Role == job.Role).ToList();
        return same.Count == 1 ? same[0].PartyId : null;
    }
}
