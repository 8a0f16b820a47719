using Grpc.Core;
using VerticalFL.Transport.Security;

namespace VerticalFL.Transport.Server;

/// <summary>Finds out which party is calling: from its TLS client certificate, or (insecure-dev only) a header.</summary>
internal sealed class CallerIdentity(bool insecureDev)
{
    /// <summary>The header that names the caller in insecure-dev mode.</summary>
    public const string DevPartyHeader = "vfl-dev-party";

    private const string UserStateKey = "vfl.caller";

    /// <summary>The caller's party id, or null with a reason.</summary>
    public string? Resolve(ServerCallContext context, out string reason)
    {
        string? party;
        if (insecureDev)
        {
            party = context.RequestHeaders.GetValue(DevPartyHeader);
            reason = party is null ? $"no {DevPartyHeader} header (insecure-dev mode)" : "invalid party id in header";
        }
        else
        {
            var certificate = context.GetHttpContext().Connection.ClientCertificate;
            party = certificate is null ? null : PartyIdentity.FromCertificate(certificate);
            reason = certificate is null ? "no client certificate" : "client certificate names no party";
        }
        if (party is null || !PartyNames.IsValid(party))
            return null;
        context.UserState[UserStateKey] = party;
        reason = "authenticated";
        return party;
    }

    /// <summary>The party admitted by the interceptor for this call.</summary>
    public static string Of(ServerCallContext context) =>
        context.UserState.TryGetValue(UserStateKey, out var party) && party is string id
            ? id
            : throw new RpcException(new Status(StatusCode.Unauthenticated, "caller not authenticated"));
}
