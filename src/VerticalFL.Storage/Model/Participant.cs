namespace VerticalFL.Storage;

/// <summary>A party this one knows: who it is, how to reach it, how to recognise its certificate.</summary>
/// <param name="CertificateFingerprint">SHA-256 of the party's certificate, hex.</param>
/// <param name="Address">Where its service listens, e.g. <c>https://host-a:7001</c>.</param>
/// <param name="LastSeenUtc">When the party was last heard from.</param>
public sealed record Participant(
    string PartyId,
    PartyRole Role,
    string CertificateFingerprint,
    string Address,
    DateTime LastSeenUtc);
