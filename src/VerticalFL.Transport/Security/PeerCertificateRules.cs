using System.Security.Cryptography.X509Certificates;

namespace VerticalFL.Transport.Security;

/// <summary>What one configured peer's certificate must carry beyond a valid chain.</summary>
/// <param name="Role">The role the peer is configured in; its certificate, if it names a role, must name this one.</param>
/// <param name="Fingerprint">Optional pin (<c>sha256:…</c>): only this exact certificate is accepted for the peer.</param>
public sealed record PeerExpectation(string? Role, string? Fingerprint);

/// <summary>
/// Checks, on both sides of every handshake, that a certificate is used in the role it was signed for and,
/// where the config pins one, that it is the pinned certificate. Certificates without a role (made before
/// roles were written into them) pass the role check; their owners should have them reissued.
/// </summary>
public sealed class PeerCertificateRules(string selfId, string? selfRole, IReadOnlyDictionary<string, PeerExpectation> peers)
{
    public static readonly PeerCertificateRules None = new("", null, new Dictionary<string, PeerExpectation>());

    public string? SelfRole { get; } = selfRole;

    /// <summary>Why <paramref name="certificate"/> may not speak for <paramref name="partyId"/>, or null when it may.</summary>
    public string? Problem(string partyId, X509Certificate2 certificate)
    {
        var expected = partyId == selfId ? new PeerExpectation(SelfRole, null) : peers.GetValueOrDefault(partyId);
        if (expected is null) return null;
        string? signedFor = CertificateRoles.Of(certificate);
        if (signedFor is not null && expected.Role is not null && signedFor != expected.Role)
            return $"the certificate of '{partyId}' is signed for role {signedFor}, but '{partyId}' is configured as the {expected.Role}";
        if (expected.Fingerprint is null) return null;
        string presented = CertificateFingerprints.Of(certificate);
        return presented == expected.Fingerprint ? null
            : $"'{partyId}' presented certificate {presented}, but the config pins {expected.Fingerprint}";
    }
}
