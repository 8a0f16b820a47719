using System.Text.Json.Nodes;
using VerticalFL.Contracts.V1;
using VerticalFL.Party.Config;
using VerticalFL.Party.Hosting;
using VerticalFL.Party.Jobs;
using VerticalFL.Protocol.Psi;
using WireRole = VerticalFL.Contracts.V1.PartyRole;

namespace VerticalFL.Host;

/// <summary>
/// What a host checks before it accepts a guest's proposal, beyond "do I have the data": the participants are
/// exactly the spec's, the arbiter is one this host knows as an arbiter, and the guest is within the host's
/// daily job quotas (<see cref="HostPolicy"/>). Each refusal names the rule.
/// </summary>
internal sealed class HostAdmission(PartyNode node)
{
    public static PsiGuestSetLimit GuestSetLimit(HostPolicy policy) => new(policy.MaxGuestSetRatio, "policy.max_guest_set_ratio");

    /// <summary>Why the proposal is refused, or null to accept it.</summary>
    public async Task<string?> RefusalAsync(string guest, JobProposal proposal, JobSpec spec, CancellationToken ct) =>
        ParticipantsRefusal(guest, proposal.Participants, spec)
        ?? ArbiterRefusal(node.Config, spec)
        ?? await QuotaRefusalAsync(guest, spec, ct);

    /// <summary>The proposal must list the guest, the spec's hosts and (for training only) its arbiter, each once in that role, and no one else.</summary>
    internal static string? ParticipantsRefusal(string guest, IEnumerable<Participant> listed, JobSpec spec)
    {
        var expected = new List<string> { Describe(guest, WireRole.Guest) };
        expected.AddRange(spec.HostIds.Select(h => Describe(h, WireRole.Host)));
        if (JobKinds.NeedsArbiter(spec.Kind))
            expected.Add(Describe(spec.Arbiter, WireRole.Arbiter));
        var actual = listed.Select(p => Describe(p.PartyId, p.Role)).ToList();
        expected.Sort(StringComparer.Ordinal);
        actual.Sort(StringComparer.Ordinal);
        return actual.SequenceEqual(expected)
            ? null
            : $"the proposal's participants [{string.Join(", ", actual)}] are not the spec's [{string.Join(", ", expected)}]";
    }

    /// <summary>A job with an arbiter may use only a party this host has configured as an arbiter.</summary>
    internal static string? ArbiterRefusal(PartyConfig config, JobSpec spec)
    {
        if (!JobKinds.NeedsArbiter(spec.Kind))
            return null;
        var peer = config.Peers.FirstOrDefault(p => p.Id == spec.Arbiter);
        if (peer is null)
            return $"the job's arbiter '{spec.Arbiter}' is not among {config.Party.Id}'s peers";
        return peer.Role == Roles.Arbiter ? null
            : $"the job's arbiter '{spec.Arbiter}' is configured at {config.Party.Id} as a {peer.Role}, not an arbiter";
    }

    /// <summary>Counts the guest's jobs with this host over the last 24 hours (rolling) in the host's own store.</summary>
    private async Task<string?> QuotaRefusalAsync(string guest, JobSpec spec, CancellationToken ct)
    {
        var policy = node.Config.Policy;
        var recent = await node.Store.Jobs.ListByInitiatorAsync(guest, DateTime.UtcNow - Day, ct);
        if (recent.Count >= policy.MaxPsiJobsPerGuestPerDay)
            return $"guest '{guest}' has started {recent.Count} jobs (each runs PSI) in the last 24 hours, "
                + $"the limit of policy.max_psi_jobs_per_guest_per_day {policy.MaxPsiJobsPerGuestPerDay}";
        if (spec.Kind != JobKinds.Predict)
            return null;
        int predictions = recent.Count(j => KindOf(j.Spec) == JobKinds.Predict);
        return predictions >= policy.MaxPredictJobsPerGuestPerDay
            ? $"guest '{guest}' has started {predictions} prediction jobs in the last 24 hours, "
                + $"the limit of policy.max_predict_jobs_per_guest_per_day {policy.MaxPredictJobsPerGuestPerDay}"
            : null;
    }

    private static readonly TimeSpan Day = TimeSpan.FromHours(24);

    private static string Describe(string party, WireRole role) => $"{party} as {role.ToString().ToLowerInvariant()}";

    /// <summary>A stored spec's kind (hosts store the guest's JSON); unreadable counts as a training job.</summary>
    private static string KindOf(string specJson)
    {
        try
        {
            return JsonNode.Parse(specJson)?["kind"]?.GetValue<string>() ?? JobKinds.Train;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            return JobKinds.Train;
        }
    }
}
