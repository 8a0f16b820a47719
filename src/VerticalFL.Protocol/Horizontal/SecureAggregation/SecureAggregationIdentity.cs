using VerticalFL.Crypto.SecureAggregation;

namespace VerticalFL.Protocol.Horizontal;

/// <summary>
/// A client's long-term Ed25519 signing key and the registry of every client's verification key, known out of band
/// (the federation's party registry), so a client can tell its neighbours' key advertisements from keys the arbiter
/// made up. The arbiter never holds a signing key a client would accept.
/// </summary>
public sealed class SecureAggregationIdentity(Ed25519Signer signer, IReadOnlyDictionary<string, byte[]> registry)
{
    public Ed25519Signer Signer { get; } = signer;

    /// <summary>Party id → its Ed25519 public key (32 bytes).</summary>
    public IReadOnlyDictionary<string, byte[]> Registry { get; } = registry;

    /// <summary>Fresh keys for <paramref name="parties"/> with a shared registry (in-process federations: tests, benchmarks).</summary>
    public static Dictionary<string, SecureAggregationIdentity> ForInProcess(IEnumerable<string> parties)
    {
        var signers = parties.ToDictionary(p => p, _ => Ed25519Signer.Generate(), StringComparer.Ordinal);
        var registry = signers.ToDictionary(s => s.Key, s => s.Value.PublicKey, StringComparer.Ordinal);
        return signers.ToDictionary(s => s.Key, s => new SecureAggregationIdentity(s.Value, registry), StringComparer.Ordinal);
    }
}
