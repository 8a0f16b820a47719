using VerticalFL.Transport.Security;

namespace VerticalFL.Party.Config;

/// <summary>Turns the config's peers (roles, optional fingerprints) into the handshake's certificate rules.</summary>
public static class PeerPins
{
    public static bool IsWellFormed(string fingerprint)
    {
        try
        {
            CertificateFingerprints.Normalize(fingerprint, "fingerprint");
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public static PeerCertificateRules Rules(PartyConfig config) => new(
        config.Party.Id,
        config.Party.Role,
        config.Peers.ToDictionary(p => p.Id, p => new PeerExpectation(
            p.Role,
            string.IsNullOrEmpty(p.Fingerprint) ? null : CertificateFingerprints.Normalize(p.Fingerprint, $"peer '{p.Id}' fingerprint"))));
}
