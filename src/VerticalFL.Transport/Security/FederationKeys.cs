using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace VerticalFL.Transport.Security;

/// <summary>
/// Creates a federation's keys in a directory: a CA (<c>ca.crt</c>, <c>ca.key</c>) and per party a
/// certificate and key (<c>&lt;party&gt;.crt</c>, <c>&lt;party&gt;.key</c>), all ECDSA P-256, PEM.
/// Private keys are written with mode 0600. Existing keys are never overwritten unless asked.
/// </summary>
public static class FederationKeys
{
    /// <summary>The files of one party in a keys directory.</summary>
    public sealed record PartyFiles(string CertificatePath, string KeyPath, string CaPath);

    public static PartyFiles For(string directory, string partyId) => new(
        Path.Combine(directory, partyId + ".crt"),
        Path.Combine(directory, partyId + ".key"),
        Path.Combine(directory, "ca.crt"));

    /// <summary>Writes a new CA and one certificate per party.</summary>
    /// <param name="validity">How long the certificates are valid (the CA one day longer).</param>
    /// <exception cref="ArgumentException">A party id is invalid, or keys exist and <paramref name="overwrite"/> is false.</exception>
    /// <param name="parties">Party ids, each optionally with its role as <c>id:role</c> (written into the certificate).</param>
    public static IReadOnlyList<string> Create(string directory, IEnumerable<string> parties, TimeSpan validity, bool overwrite = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var named = parties.Select(p => CertificateRoles.ParsePartyAndRole(p, nameof(parties))).DistinctBy(p => p.Id).ToList();
        var ids = named.Select(p => p.Id).ToList();
        if (ids.Count == 0)
            throw new ArgumentException("At least one party is needed.", nameof(parties));
        if (validity <= TimeSpan.Zero)
            throw new ArgumentException("Validity must be positive.", nameof(validity));
        var files = new List<string> { Path.Combine(directory, "ca.crt"), Path.Combine(directory, "ca.key") };
        files.AddRange(ids.SelectMany(p => new[] { For(directory, p).CertificatePath, For(directory, p).KeyPath }));
        var existing = files.Where(File.Exists).ToList();
        if (existing.Count > 0 && !overwrite)
            throw new ArgumentException($"Refusing to overwrite existing keys ({string.Join(", ", existing)}); pass --force to replace them.");
        Directory.CreateDirectory(directory);

        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ca = CreateCa(caKey, now, now + validity + TimeSpan.FromDays(1));
        WritePublic(Path.Combine(directory, "ca.crt"), ca.ExportCertificatePem());
        WritePrivate(Path.Combine(directory, "ca.key"), caKey.ExportPkcs8PrivateKeyPem());
        foreach (var (party, role) in named)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var certificate = IssueParty(ca, new X500DistinguishedName($"CN={party}, O=VerticalFL"), PublicKey.CreateFromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _), party, role, now, now + validity);
            var target = For(directory, party);
            WritePublic(target.CertificatePath, certificate.ExportCertificatePem());
            WritePrivate(target.KeyPath, key.ExportPkcs8PrivateKeyPem());
        }
        return files;
    }

    /// <summary>
    /// Adds one party to the demo CA in <paramref name="directory"/> (made by <see cref="Create"/>): a new key and a
    /// certificate for it, signed by the CA there. The CA and the other parties' files are left as they are.
    /// </summary>
    /// <returns>The party's certificate and key paths.</returns>
    /// <exception cref="ArgumentException">The id or role is invalid, the CA is missing, or the party's files exist and <paramref name="overwrite"/> is false.</exception>
    public static IReadOnlyList<string> AddParty(string directory, string partyId, string role, TimeSpan validity, bool overwrite = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        PartyNames.Validate(partyId, nameof(partyId));
        CertificateRoles.Validate(role, nameof(role));
        if (validity <= TimeSpan.Zero) throw new ArgumentException("Validity must be positive.", nameof(validity));
        var target = For(directory, partyId);
        CertificateSigning.RefuseExisting([target.CertificatePath, target.KeyPath], overwrite);
        using var ca = CertificateSigning.LoadCa(directory);
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        var notAfter = now + validity < ca.NotAfter ? now + validity : new DateTimeOffset(ca.NotAfter.ToUniversalTime());
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = IssueParty(ca, new X500DistinguishedName($"CN={partyId}, O=VerticalFL"),
            PublicKey.CreateFromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _), partyId, role, now, notAfter);
        WritePublic(target.CertificatePath, certificate.ExportCertificatePem());
        WritePrivate(target.KeyPath, key.ExportPkcs8PrivateKeyPem());
        return [target.CertificatePath, target.KeyPath];
    }

    internal static X509Certificate2 CreateCa(ECDsa key, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var request = new CertificateRequest("CN=VerticalFL federation CA, O=VerticalFL", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(notBefore, notAfter);
    }

    /// <summary>A party certificate for <paramref name="key"/>, signed by <paramref name="ca"/> (which holds its private key).</summary>
    /// <param name="role">guest, host or arbiter, written as SAN URI <c>vfl://role/&lt;role&gt;</c>; null for none (demo keys of old).</param>
    internal static X509Certificate2 IssueParty(X509Certificate2 ca, X500DistinguishedName subject, PublicKey key, string party, string? role,
        DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new("1.3.6.1.5.5.7.3.1"), new("1.3.6.1.5.5.7.3.2")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(PartyNames.ToUri(party));
        if (role is not null) san.AddUri(CertificateRoles.ToUri(role));
        san.AddDnsName(party);
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        return request.Create(ca, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
    }

    internal static void WritePublic(string path, string pem) => File.WriteAllText(path, pem + "\n");

    /// <summary>Creates the file with mode 0600 from the start (never world-readable, not even briefly).</summary>
    internal static void WritePrivate(string path, string pem)
    {
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var writer = new StreamWriter(new FileStream(path, options));
        writer.Write(pem);
        writer.Write('\n');
    }
}
