namespace VerticalFL.Transport.Client;

/// <summary>How one party calls its peers. Paths are PEM files as written by <c>vfl keys init</c>.</summary>
public sealed class FederationClientOptions
{
    /// <summary>This party's id; its certificate must name it.</summary>
    public required string PartyId { get; init; }

    /// <summary>Peer party id → gRPC address (https://host:port, or http:// in insecure-dev mode). The peer's certificate must name that party.</summary>
    public required IReadOnlyDictionary<string, Uri> Peers { get; init; }

    public string? CertificatePath { get; init; }
    public string? KeyPath { get; init; }
    public string? CaPath { get; init; }

    /// <summary>Development only: plaintext HTTP/2 (h2c), no certificates; the party id travels in a header anyone can forge.</summary>
    public bool InsecureDev { get; init; }

    /// <summary>Deadline given to every call that has none, per attempt (default 30 s).</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts per envelope delivery, first one included (default 5). Retries reuse the envelope's message id, so the peer applies it once.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Wait before the first retry (default 200 ms); doubles per retry up to <see cref="MaxBackoff"/>, with jitter (50–100 % of the step).</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest wait between two attempts (default 5 s).</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest message sent or accepted, in bytes (default 64 MiB).</summary>
    public int MaxMessageBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>
    /// Unary requests of at least this many bytes are sent gzip-compressed; null (default) never
    /// compresses. Paillier ciphertexts and blinded points are random bytes that gzip cannot shrink,
    /// so turn this on only for jobs that send compressible data.
    /// </summary>
    public int? GzipMinBytes { get; init; }

    /// <summary>Role and pin checks on each peer's certificate (and this party's own role); none by default.</summary>
    public Security.PeerCertificateRules CertificateRules { get; init; } = Security.PeerCertificateRules.None;

    internal void Validate()
    {
        Security.PartyNames.Validate(PartyId, nameof(PartyId));
        ArgumentNullException.ThrowIfNull(Peers);
        foreach (var (peer, address) in Peers)
        {
            Security.PartyNames.Validate(peer, nameof(Peers));
            if (address.Scheme != (InsecureDev ? Uri.UriSchemeHttp : Uri.UriSchemeHttps))
                throw new ArgumentException($"Peer '{peer}' address {address} must use {(InsecureDev ? "http" : "https")}.", nameof(Peers));
        }
        if (CallTimeout <= TimeSpan.Zero || InitialBackoff < TimeSpan.Zero || MaxBackoff < InitialBackoff)
            throw new ArgumentException("CallTimeout must be positive and 0 <= InitialBackoff <= MaxBackoff.");
        if (MaxAttempts < 1)
            throw new ArgumentException($"MaxAttempts must be at least 1, got {MaxAttempts}.", nameof(MaxAttempts));
    }
}
