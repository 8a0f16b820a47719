using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;

namespace VerticalFL.Transport.Security;

/// <summary>
/// One party's certificate with its private key, and the federation CA that everything is checked
/// against. Loaded from PEM files; the private key never leaves this object (no ToString of it).
/// </summary>
[DebuggerDisplay("Party = {PartyId}")]
internal sealed class PartyCredentials : IDisposable
{
    private PartyCredentials(X509Certificate2 certificate, X509Certificate2 ca, string partyId)
    {
        Certificate = certificate;
        Trust = new FederationTrust(ca);
        PartyId = partyId;
    }

    public X509Certificate2 Certificate { get; }
    public FederationTrust Trust { get; }
    public string PartyId { get; }

    /// <summary>Loads and checks the files: the certificate must chain to the CA and name <paramref name="expectedParty"/>.</summary>
    /// <exception cref="ArgumentException">A file is missing or unreadable, or the certificate does not fit.</exception>
    /// <param name="expectedRole">This party's configured role; a certificate signed for another role is refused.</param>
    public static PartyCredentials Load(string? certificatePath, string? keyPath, string? caPath, string expectedParty, string? expectedRole = null)
    {
        RequireFile(certificatePath, "certificate");
        RequireFile(keyPath, "private key");
        RequireFile(caPath, "CA certificate");
        X509Certificate2 certificate;
        X509Certificate2 ca;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certificatePath!, keyPath!);
            ca = X509Certificate2.CreateFromPem(File.ReadAllText(caPath!));
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException)
        {
            // The exception text of the PEM reader never includes key bytes; keep only its message.
            throw new ArgumentException($"Cannot load the party certificate '{certificatePath}' / key '{keyPath}' / CA '{caPath}': {e.Message}");
        }
        var credentials = new PartyCredentials(certificate, ca, expectedParty);
        var check = credentials.Trust.CheckClient(certificate);
        if (!check.IsValid || check.PartyId != expectedParty)
        {
            credentials.Dispose();
            throw new ArgumentException(check.IsValid
                ? $"Certificate '{certificatePath}' is for party '{check.PartyId}', not '{expectedParty}'."
                : $"Certificate '{certificatePath}' is unusable: {check.Reason}.");
        }
        if (expectedRole is not null && CertificateRoles.Of(certificate) is { } signedFor && signedFor != expectedRole)
        {
            credentials.Dispose();
            throw new ArgumentException($"Certificate '{certificatePath}' is signed for role {signedFor}, but this party is configured as the {expectedRole}.");
        }
        return credentials;
    }

    public void Dispose()
    {
        Certificate.Dispose();
        Trust.Ca.Dispose();
    }

    private static void RequireFile(string? path, string what)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new ArgumentException($"No {what} file given (required unless insecure-dev mode is on).");
        if (!File.Exists(path))
            throw new ArgumentException($"The {what} file '{path}' does not exist.");
    }
}
