using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace VerticalFL.Transport.Security;

/// <summary>
/// Chain validation with the federation CA as the only trust anchor: the operating system's roots
/// play no part, no revocation or download is attempted, and the certificate must carry the
/// extended key usage for its side of the connection and name a party.
/// </summary>
internal sealed class FederationTrust(X509Certificate2 ca)
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    public X509Certificate2 Ca { get; } = ca;

    /// <summary>Checks a peer that connected to us (it must be allowed to authenticate as a client).</summary>
    public CertificateCheck CheckClient(X509Certificate2? certificate) => Check(certificate, ClientAuthOid);

    /// <summary>Checks a peer we connected to (it must be allowed to authenticate as a server).</summary>
    public CertificateCheck CheckServer(X509Certificate2? certificate) => Check(certificate, ServerAuthOid);

    private CertificateCheck Check(X509Certificate2? certificate, string usageOid)
    {
        if (certificate is null)
            return CertificateCheck.Fail("no certificate presented");
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.Add(Ca);
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.ApplicationPolicy.Add(new Oid(usageOid));
        if (!chain.Build(certificate))
        {
            string why = string.Join("; ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());
            return CertificateCheck.Fail($"not chained to the federation CA ({why})");
        }
        var root = chain.ChainElements[^1].Certificate;
        if (!root.RawDataMemory.Span.SequenceEqual(Ca.RawDataMemory.Span))
            return CertificateCheck.Fail("chain ends at a root other than the federation CA");
        string? party = PartyIdentity.FromCertificate(certificate);
        return party is null
            ? CertificateCheck.Fail("certificate names no party (SAN vfl://party/<id> or CN)")
            : CertificateCheck.Ok(party);
    }
}

/// <summary>The outcome of checking a peer certificate; <see cref="Reason"/> never contains key material.</summary>
internal readonly record struct CertificateCheck(bool IsValid, string? PartyId, string Reason)
{
    public static CertificateCheck Ok(string partyId) => new(true, partyId, "valid");
    public static CertificateCheck Fail(string reason) => new(false, null, reason);
}
