using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace VerticalFL.Transport.Security;

/// <summary>
/// Maps a certificate to the party it speaks for: the SAN URI <c>vfl://party/&lt;id&gt;</c>, else the
/// subject CN. A certificate whose URI and CN name different parties names no party.
/// </summary>
public static class PartyIdentity
{
    internal const string SubjectAltNameOid = "2.5.29.17";
    private static readonly Asn1Tag UriTag = new(TagClass.ContextSpecific, 6);

    /// <summary>The certificate's party id, or null when it names none (or names two).</summary>
    public static string? FromCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        string? fromUri = PartyFromSanUris(certificate);
        string? commonName = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        if (fromUri is not null)
            return string.IsNullOrEmpty(commonName) || commonName == fromUri ? fromUri : null;
        return PartyNames.IsValid(commonName) ? commonName : null;
    }

    private static string? PartyFromSanUris(X509Certificate2 certificate)
    {
        var extension = certificate.Extensions[SubjectAltNameOid];
        if (extension is null)
            return null;
        var parties = SanUris(extension.RawData)
            .Where(u => u.StartsWith(PartyNames.UriPrefix, StringComparison.Ordinal))
            .Select(u => u[PartyNames.UriPrefix.Length..])
            .Distinct()
            .ToList();
        return parties.Count == 1 && PartyNames.IsValid(parties[0]) ? parties[0] : null;
    }

    // SubjectAltName ::= SEQUENCE OF GeneralName; uniformResourceIdentifier is [6] IMPLICIT IA5String (RFC 5280 §4.2.1.6).
    internal static IEnumerable<string> SanUris(byte[] der)
    {
        var uris = new List<string>();
        try
        {
            var names = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            while (names.HasData)
            {
                if (names.PeekTag().HasSameClassAndValue(UriTag))
                    uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, UriTag));
                else
                    names.ReadEncodedValue();
            }
        }
        catch (AsnContentException)
        {
            return [];
        }
        return uris;
    }
}
