using VerticalFL.Transport.Client;

namespace VerticalFL.Party.Config;

/// <summary>How a party configured by <see cref="PartyConfig"/> calls its peers: its certificate, their addresses and rules.</summary>
public static class PeerClientOptions
{
    public static FederationClientOptions For(PartyConfig config, TimeSpan? callTimeout = null) => new()
    {
        PartyId = config.Party.Id,
        Peers = config.Peers.ToDictionary(p => p.Id, p => new Uri(p.Address)),
        CertificatePath = config.Tls?.Certificate,
        KeyPath = config.Tls?.Key,
        CaPath = config.Tls?.Ca,
        InsecureDev = config.InsecureDev,
        CertificateRules = PeerPins.Rules(config),
        CallTimeout = callTimeout ?? TimeSpan.FromSeconds(30),
    };
}
