namespace VerticalFL.Transport.Security;

/// <summary>
/// The federation's default rules, deny by default:
/// <list type="bullet">
/// <item>grpc.health.v1.Health: any authenticated party;</item>
/// <item>JobControl.Propose: trusted guests only;</item>
/// <item>JobControl.Cancel: trusted guests that take part in the job;</item>
/// <item>JobControl.Status / WatchJob: participants of the job;</item>
/// <item>Mailbox: opening a stream needs only authentication; every envelope needs its sender to take part in its job;</item>
/// <item>vfl.v1.Serving (online prediction): trusted guests only (the host checks each model job is the caller's);</item>
/// <item>methods named in <c>openMethods</c>: any authenticated party; anything else: denied.</item>
/// </list>
/// </summary>
public sealed class FederationAuthorizer(
    IEnumerable<string> trustedGuests, IJobMembership membership, IEnumerable<string>? openMethods = null) : IPartyAuthorizer
{
    private readonly HashSet<string> _trustedGuests = trustedGuests.ToHashSet(StringComparer.Ordinal);
    private readonly HashSet<string> _openMethods = (openMethods ?? []).ToHashSet(StringComparer.Ordinal);

    public async ValueTask<AuthorizationDecision> AuthorizeAsync(AuthorizationRequest request, CancellationToken cancellationToken)
    {
        var (service, method) = Split(request.Method);
        return service switch
        {
            "grpc.health.v1.Health" => AuthorizationDecision.Allow("health is open to every authenticated party"),
            "vfl.v1.Mailbox" => request.JobId is null
                ? AuthorizationDecision.Allow("stream opened; each envelope is checked")
                : await Participant(request, cancellationToken),
            "vfl.v1.JobControl" => method switch
            {
                "Propose" => TrustedGuest(request),
                "Cancel" => TrustedGuest(request) is { IsAllowed: false } denied ? denied : await Participant(request, cancellationToken),
                "Status" or "WatchJob" => await Participant(request, cancellationToken),
                _ => AuthorizationDecision.Deny("unknown JobControl method"),
            },
            "vfl.v1.Serving" => TrustedGuest(request),
            _ => _openMethods.Contains(request.Method)
                ? AuthorizationDecision.Allow("open method")
                : AuthorizationDecision.Deny("no rule allows this method"),
        };
    }

    private AuthorizationDecision TrustedGuest(AuthorizationRequest request) =>
        _trustedGuests.Contains(request.PartyId)
            ? AuthorizationDecision.Allow("trusted guest")
            : AuthorizationDecision.Deny($"party '{request.PartyId}' is not a trusted guest");

    private async ValueTask<AuthorizationDecision> Participant(AuthorizationRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.JobId))
            return AuthorizationDecision.Deny("the request names no job");
        return await membership.IsParticipantAsync(request.JobId, request.PartyId, cancellationToken)
            ? AuthorizationDecision.Allow("participant of the job")
            : AuthorizationDecision.Deny($"party '{request.PartyId}' does not take part in job '{request.JobId}'");
    }

    private static (string Service, string Method) Split(string fullMethod)
    {
        int slash = fullMethod.LastIndexOf('/');
        return slash <= 0 ? (fullMethod, "") : (fullMethod[1..slash], fullMethod[(slash + 1)..]);
    }
}
