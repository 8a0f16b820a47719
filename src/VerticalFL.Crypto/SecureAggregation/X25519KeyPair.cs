using System.Security.Cryptography;
using VerticalFL.Crypto.Native;

namespace VerticalFL.Crypto.SecureAggregation;

/// <summary>
/// An X25519 key pair (RFC 7748) from libsodium. The secret is 32 uniformly random bytes (clamped inside X25519);
/// it is exported only to be Shamir-shared (secure aggregation reconstructs a dropped client's mask key) and wiped
/// on <see cref="Dispose"/>.
/// </summary>
public sealed unsafe class X25519KeyPair : IDisposable
{
    public const int KeySize = 32;

    private readonly byte[] _secret;

    private X25519KeyPair(byte[] secret)
    {
        _secret = secret;
        PublicKey = new byte[KeySize];
        fixed (byte* q = PublicKey)
        fixed (byte* n = _secret)
            SodiumNative.crypto_scalarmult_curve25519_base(q, n);
    }

    public byte[] PublicKey { get; }

    public static X25519KeyPair Generate() => new(RandomNumberGenerator.GetBytes(KeySize));

    /// <summary>The key pair of a known secret (a reconstructed one, or a test vector's).</summary>
    /// <exception cref="ArgumentException">The secret is not 32 bytes.</exception>
    public static X25519KeyPair FromSecret(ReadOnlySpan<byte> secret)
    {
        if (secret.Length != KeySize)
            throw new ArgumentException($"An X25519 secret key is {KeySize} bytes, got {secret.Length}.", nameof(secret));
        return new X25519KeyPair(secret.ToArray());
    }

    /// <summary>A copy of the secret, for Shamir sharing; the caller wipes it.</summary>
    public byte[] ExportSecret() => (byte[])_secret.Clone();

    /// <summary>The shared secret X25519(secret, peer) (32 bytes). Feed it through HKDF before use.</summary>
    /// <exception cref="ArgumentException">The peer key is not 32 bytes or is a low-order point (the result would be all zero).</exception>
    public byte[] Agree(ReadOnlySpan<byte> peerPublicKey)
    {
        if (peerPublicKey.Length != KeySize)
            throw new ArgumentException($"An X25519 public key is {KeySize} bytes, got {peerPublicKey.Length}.", nameof(peerPublicKey));
        var shared = new byte[KeySize];
        int rc;
        fixed (byte* q = shared)
        fixed (byte* n = _secret)
        fixed (byte* p = peerPublicKey)
            rc = SodiumNative.crypto_scalarmult_curve25519(q, n, p);
        if (rc != 0)
            throw new ArgumentException("The peer's X25519 public key is a low-order point (the shared secret would be zero); refused.", nameof(peerPublicKey));
        return shared;
    }

    public override string ToString() => "X25519KeyPair (secret hidden)";

    public void Dispose() => CryptographicOperations.ZeroMemory(_secret);
}
