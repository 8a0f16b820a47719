using VerticalFL.Storage;
using VerticalFL.Transport.Security;

namespace VerticalFL.Party.Hosting;

/// <summary>
/// The federation's rules (<see cref="FederationAuthorizer"/>) plus one: operator services answer
/// only the party itself, i.e. a caller presenting this party's own certificate.
/// </summary>
internal sealed class PartyAuthorizer(string self, IReadOnlyCollection<string> operatorServices, IPartyAuthorizer federation) : IPartyAuthorizer
{
    public ValueTask<AuthorizationDecision> AuthorizeAsync(AuthorizationRequest request, CancellationToken cancellationToken)
    {
        if (!operatorServices.Any(service => request.Method.StartsWith($"/{service}/", StringComparison.Ordinal)))
            return federation.AuthorizeAsync(request, cancellationToken);
        return ValueTask.FromResult(request.PartyId == self
            ? AuthorizationDecision.Allow("the party's own operator")
            : AuthorizationDecision.Deny($"only '{self}' itself may call its operator API"));
    }
}

/// <summary>Answers "does this party take part in that job?" from the party's own store.</summary>
internal sealed class StoreJobMembership(IJobStore jobs) : IJobMembership
{
    public async ValueTask<bool> IsParticipantAsync(string jobId, string partyId, CancellationToken cancellationToken)
    {
        var job = await jobs.GetAsync(jobId, cancellationToken);
        return job is not null && job.Participants.Any(p => p.PartyId == partyId);
    }
}
