using Grpc.Core;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
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
            party = FromConnection(context.GetHttpContext(), out reason);
        }
        if (party is null || !PartyNames.IsValid(party))
            return null;
        context.UserState[UserStateKey] = party;
        reason = "authenticated";
        return party;
    }

    /// <summary>The certificate's party, decoded once per TLS connection (the certificate cannot change on it).</summary>
    private static string? FromConnection(HttpContext http, out string reason)
    {
        var items = http.Features.Get<IConnectionItemsFeature>()?.Items;
        var certificate = http.Connection.ClientCertificate;
        reason = certificate is null ? "no client certificate" : "client certificate names no party";
        if (items is not null && items.TryGetValue(UserStateKey, out var cached))
            return cached as string;
        string? party = certificate is null ? null : PartyIdentity.FromCertificate(certificate);
        if (items is not null && party is not null)
            items[UserStateKey] = party;
        return party;
    }

    /// <summary>The party admitted by the interceptor for this call.</summary>
    public static string Of(ServerCallContext context) =>
        context.UserState.TryGetValue(UserStateKey, out var party) && party is string id
            ? id
            : throw new RpcException(new Status(StatusCode.Unauthenticated, "caller not authenticated"));
}
