using System.Security.Cryptography.X509Certificates;

namespace VerticalFL.Transport.Security;

/// <summary>
/// The role a certificate was signed for (guest, host or arbiter), written by the CA as the SAN URI
/// <c>vfl://role/&lt;role&gt;</c> next to <c>vfl://party/&lt;id&gt;</c>. A party may act only in that role.
/// </summary>
public static class CertificateRoles
{
    public const string UriPrefix = "vfl://role/";
    public static readonly IReadOnlyList<string> Known = ["guest", "host", "arbiter"];

    public static bool IsKnown(string? role) => role is not null && Known.Contains(role);

    /// <exception cref="ArgumentException"><paramref name="role"/> is not guest, host or arbiter.</exception>
    public static string Validate(string? role, string paramName) =>
        IsKnown(role) ? role! : throw new ArgumentException($"'{role}' is not a role (guest, host or arbiter).", paramName);

    public static Uri ToUri(string role) => new(UriPrefix + Validate(role, nameof(role)));

    /// <summary>The role the certificate names; null when it names none (keys made before roles existed) or several.</summary>
    public static string? Of(X509Certificate2 certificate)
    {
        var extension = certificate.Extensions[PartyIdentity.SubjectAltNameOid];
        if (extension is null) return null;
        var roles = PartyIdentity.SanUris(extension.RawData)
            .Where(u => u.StartsWith(UriPrefix, StringComparison.Ordinal))
            .Select(u => u[UriPrefix.Length..])
            .Distinct()
            .ToList();
        return roles.Count == 1 && IsKnown(roles[0]) ? roles[0] : null;
    }

    /// <summary>Parses <c>id</c> or <c>id:role</c> (as <c>vfl keys init --parties</c> takes them).</summary>
    public static (string Id, string? Role) ParsePartyAndRole(string value, string paramName)
    {
        int colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? (PartyNames.Validate(value, paramName), null)
            : (PartyNames.Validate(value[..colon], paramName), Validate(value[(colon + 1)..], paramName));
    }
}
