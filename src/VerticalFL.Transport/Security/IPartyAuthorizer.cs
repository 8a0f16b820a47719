namespace VerticalFL.Transport.Security;

/// <summary>
/// Decides whether an authenticated party may make a call. Runs before any handler, and for every
/// envelope of a mailbox stream; a denial changes no state.
/// </summary>
public interface IPartyAuthorizer
{
    ValueTask<AuthorizationDecision> AuthorizeAsync(AuthorizationRequest request, CancellationToken cancellationToken);
}

/// <param name="PartyId">The caller, from its certificate (or the dev header in insecure-dev mode).</param>
/// <param name="Method">The full gRPC method, e.g. <c>/vfl.v1.JobControl/Propose</c>.</param>
/// <param name="JobId">The request's <c>job_id</c>, or null when the call names no job (yet).</param>
public readonly record struct AuthorizationRequest(string PartyId, string Method, string? JobId);

/// <summary>Allowed or not, and why (the reason is logged and returned to the caller: never put secrets in it).</summary>
public readonly record struct AuthorizationDecision(bool IsAllowed, string Reason)
{
    public static AuthorizationDecision Allow(string reason = "allowed") => new(true, reason);
    public static AuthorizationDecision Deny(string reason) => new(false, reason);
}

/// <summary>Who takes part in which job; the job layer (the party's store) answers it.</summary>
public interface IJobMembership
{
    ValueTask<bool> IsParticipantAsync(string jobId, string partyId, CancellationToken cancellationToken);
}
