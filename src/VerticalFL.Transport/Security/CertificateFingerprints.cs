using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace VerticalFL.Transport.Security;

/// <summary>A certificate's pin: <c>sha256:</c> and the lower-case hex SHA-256 of its DER encoding.</summary>
public static class CertificateFingerprints
{
    public const string Prefix = "sha256:";

    public static string Of(X509Certificate2 certificate) =>
        Prefix + Convert.ToHexStringLower(SHA256.HashData(certificate.RawDataMemory.Span));

    /// <summary>Accepts <c>sha256:HEX</c> (64 hex digits, either case, ':' between bytes allowed); returns the canonical form.</summary>
    /// <exception cref="ArgumentException">Not a SHA-256 fingerprint.</exception>
    public static string Normalize(string value, string setting)
    {
        string hex = value.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? value[Prefix.Length..].Replace(":", "") : "";
        bool ok = hex.Length == 64 && hex.All(Uri.IsHexDigit);
        return ok
            ? Prefix + hex.ToLowerInvariant()
            : throw new ArgumentException($"{setting}: '{value}' is not a certificate fingerprint (sha256: followed by 64 hex digits).");
    }
}
