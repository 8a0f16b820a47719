using System.Net;

namespace VerticalFL.Transport.Server;

/// <summary>How one party serves gRPC. Paths are PEM files as written by <c>vfl keys init</c>.</summary>
public sealed class PartyServerOptions
{
    /// <summary>This party's id; its certificate must name it.</summary>
    public required string PartyId { get; init; }

    /// <summary>Where gRPC is served (HTTP/2 over TLS 1.3). Port 0 picks a free port; see <see cref="PartyServer.GrpcAddress"/>.</summary>
    public IPEndPoint GrpcEndpoint { get; init; } = new(IPAddress.Loopback, 0);

    /// <summary>Where the plain-HTTP Prometheus <c>/metrics</c> endpoint is served; null for none.</summary>
    public IPEndPoint? MetricsEndpoint { get; init; } = new(IPAddress.Loopback, 0);

    /// <summary>This party's certificate (PEM).</summary>
    public string? CertificatePath { get; init; }

    /// <summary>This party's private key (PEM, PKCS#8; keep it mode 0600).</summary>
    public string? KeyPath { get; init; }

    /// <summary>The federation CA certificate (PEM): the only trust anchor for peers.</summary>
    public string? CaPath { get; init; }

    /// <summary>
    /// Development only: plaintext HTTP/2 (h2c), no certificates, and the caller's party id is taken
    /// from the <c>vfl-dev-party</c> header, which anyone can forge. Prints a warning at start.
    /// </summary>
    public bool InsecureDev { get; init; }

    /// <summary>Largest request or response message accepted or sent, in bytes (default 64 MiB). Larger: RESOURCE_EXHAUSTED.</summary>
    public int MaxMessageBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>Longest wait for the next envelope of an incoming DeliverStream before the server ends it with DEADLINE_EXCEEDED (default 2 min).</summary>
    public TimeSpan ReceiveTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Role and pin checks on each client certificate (and this party's own role); none by default.</summary>
    public Security.PeerCertificateRules CertificateRules { get; init; } = Security.PeerCertificateRules.None;

    internal void Validate()
    {
        Security.PartyNames.Validate(PartyId, nameof(PartyId));
        ArgumentNullException.ThrowIfNull(GrpcEndpoint);
        if (MaxMessageBytes < 1024)
            throw new ArgumentException($"MaxMessageBytes must be at least 1024 bytes, got {MaxMessageBytes}.", nameof(MaxMessageBytes));
        if (ReceiveTimeout <= TimeSpan.Zero)
            throw new ArgumentException("ReceiveTimeout must be positive.", nameof(ReceiveTimeout));
    }
}
