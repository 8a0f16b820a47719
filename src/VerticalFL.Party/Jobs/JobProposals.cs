using VerticalFL.Contracts.V1;
using VerticalFL.Ml.Data;
using VerticalFL.Party.Hosting;
using VerticalFL.Storage;
using WireRole = VerticalFL.Contracts.V1.PartyRole;

namespace VerticalFL.Party.Jobs;

/// <summary>What hosts and the arbiter do with a guest's proposal before their role-specific part.</summary>
public static class JobProposals
{
    /// <summary>Parses the proposal's spec; a spec that cannot be read is a bad request.</summary>
    public static JobSpec Spec(JobProposal proposal)
    {
        if (proposal.SpecFormat != "json")
            throw new ArgumentException($"spec_format must be 'json', got '{proposal.SpecFormat}'.");
        return JobSpec.FromJson(proposal.Spec, $"job {proposal.JobId}");
    }

    /// <summary>Records the proposed job as pending in this party's store.</summary>
    public static Task<JobRecord> RecordAsync(PartyNode node, JobProposal proposal, CancellationToken cancellationToken)
    {
        var participants = proposal.Participants.Select(p => new JobParty(p.PartyId, StoredRole(p.Role))).ToList();
        var self = participants.FirstOrDefault(p => p.PartyId == node.Id)
            ?? throw new ArgumentException($"The proposal does not list '{node.Id}' as a participant.");
        return node.Store.Jobs.CreateAsync(
            new NewJob(proposal.JobId, self.Role, proposal.InitiatorPartyId, participants, proposal.Spec) { Kind = Spec(proposal).Kind },
            cancellationToken);
    }

    public static Contracts.V1.Participant WireParticipant(string partyId, Storage.PartyRole role) =>
        new() { PartyId = partyId, Role = WireRoleOf(role) };

    public static WireRole WireRoleOf(Storage.PartyRole role) => role switch
    {
        Storage.PartyRole.Guest => WireRole.Guest,
        Storage.PartyRole.Host => WireRole.Host,
        _ => WireRole.Arbiter,
    };

    private static Storage.PartyRole StoredRole(WireRole role) => role switch
    {
        WireRole.Guest => Storage.PartyRole.Guest,
        WireRole.Host => Storage.PartyRole.Host,
        WireRole.Arbiter => Storage.PartyRole.Arbiter,
        _ => throw new BadInputException($"Unknown participant role {role}."),
    };
}
