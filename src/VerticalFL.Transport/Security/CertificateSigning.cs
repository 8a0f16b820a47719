using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace VerticalFL.Transport.Security;

/// <summary>
/// The production key flow, in which no private key leaves its owner's machine: the CA operator makes
/// the CA (<see cref="CreateCa"/>), each party makes its own key and a signing request
/// (<see cref="Request"/>), and the CA operator signs the request for one role (<see cref="Sign"/>).
/// </summary>
public static class CertificateSigning
{
    /// <summary>Writes <c>ca.crt</c> and <c>ca.key</c> (0600) only; returns their paths.</summary>
    public static IReadOnlyList<string> CreateCa(string directory, TimeSpan validity, bool overwrite = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (validity <= TimeSpan.Zero) throw new ArgumentException("Validity must be positive.", nameof(validity));
        string certificatePath = Path.Combine(directory, "ca.crt"), keyPath = Path.Combine(directory, "ca.key");
        RefuseExisting([certificatePath, keyPath], overwrite);
        Directory.CreateDirectory(directory);
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ca = FederationKeys.CreateCa(key, now, now + validity);
        FederationKeys.WritePrivate(keyPath, key.ExportPkcs8PrivateKeyPem());
        FederationKeys.WritePublic(certificatePath, ca.ExportCertificatePem());
        return [certificatePath, keyPath];
    }

    /// <summary>Writes <c>ID.key</c> (ECDSA P-256, mode 0600) and <c>ID.csr</c> (PKCS#10, PEM); returns their paths.</summary>
    /// <exception cref="ArgumentException">The party id is malformed, or the files exist and <paramref name="overwrite"/> is false.</exception>
    public static IReadOnlyList<string> Request(string directory, string partyId, bool overwrite = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        PartyNames.Validate(partyId, nameof(partyId));
        string keyPath = Path.Combine(directory, partyId + ".key"), csrPath = Path.Combine(directory, partyId + ".csr");
        RefuseExisting([keyPath, csrPath], overwrite);
        Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={partyId}, O=VerticalFL", key, HashAlgorithmName.SHA256);
        FederationKeys.WritePrivate(keyPath, key.ExportPkcs8PrivateKeyPem());
        FederationKeys.WritePublic(csrPath, request.CreateSigningRequestPem());
        return [keyPath, csrPath];
    }

    /// <summary>
    /// Checks the request's signature (proof that its sender holds the key), takes the party id from its
    /// subject CN, and issues a certificate for that id and <paramref name="role"/> with the CA in
    /// <paramref name="caDirectory"/>. Extensions the request asks for are ignored: the CA sets them all.
    /// </summary>
    /// <returns>The party id the certificate names.</returns>
    /// <exception cref="ArgumentException">A file is missing or malformed, the signature is wrong, or the id or role is invalid.</exception>
    public static string Sign(string caDirectory, string csrPath, string role, string outPath, TimeSpan validity, bool overwrite = false)
    {
        CertificateRoles.Validate(role, nameof(role));
        if (validity <= TimeSpan.Zero) throw new ArgumentException("Validity must be positive.", nameof(validity));
        RefuseExisting([outPath], overwrite);
        var request = LoadRequest(csrPath);
        string partyId = PartyIdOf(request, csrPath);
        using var ca = LoadCa(caDirectory);
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        var notAfter = now + validity < ca.NotAfter ? now + validity : new DateTimeOffset(ca.NotAfter.ToUniversalTime());
        using var certificate = FederationKeys.IssueParty(ca, new X500DistinguishedName($"CN={partyId}, O=VerticalFL"),
            request.PublicKey, partyId, role, now, notAfter);
        FederationKeys.WritePublic(outPath, certificate.ExportCertificatePem());
        return partyId;
    }

    private static CertificateRequest LoadRequest(string csrPath)
    {
        if (!File.Exists(csrPath)) throw new ArgumentException($"The signing request '{csrPath}' does not exist.");
        try
        {
            // Default load options verify the request's self-signature.
            return CertificateRequest.LoadSigningRequestPem(File.ReadAllText(csrPath), HashAlgorithmName.SHA256);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"'{csrPath}' is not a valid signing request (or its signature does not verify): {e.Message}");
        }
    }

    private static string PartyIdOf(CertificateRequest request, string csrPath)
    {
        string? commonName = request.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(n => n.GetSingleElementType().Value == "2.5.4.3")
            .Select(n => n.GetSingleElementValue())
            .SingleOrDefault();
        return PartyNames.IsValid(commonName) ? commonName!
            : throw new ArgumentException($"'{csrPath}': the subject CN '{commonName}' is not a valid party id (1-63 of a-z, 0-9, '-', '_', '.', starting with a letter or digit).");
    }

    internal static X509Certificate2 LoadCa(string caDirectory)
    {
        string certificatePath = Path.Combine(caDirectory, "ca.crt"), keyPath = Path.Combine(caDirectory, "ca.key");
        foreach (var path in new[] { certificatePath, keyPath })
            if (!File.Exists(path)) throw new ArgumentException($"The CA file '{path}' does not exist (make the CA with 'vfl keys ca').");
        try
        {
            return X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"Cannot load the CA from '{certificatePath}' / '{keyPath}': {e.Message}");
        }
    }

    internal static void RefuseExisting(IEnumerable<string> paths, bool overwrite)
    {
        var existing = paths.Where(File.Exists).ToList();
        if (existing.Count > 0 && !overwrite)
            throw new ArgumentException($"Refusing to overwrite {string.Join(", ", existing)}; pass --force to replace.");
    }
}
