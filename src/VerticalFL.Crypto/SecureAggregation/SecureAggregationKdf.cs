using System.Security.Cryptography;

namespace VerticalFL.Crypto.SecureAggregation;

/// <summary>
/// Key derivation and share encryption of secure aggregation. Every X25519 output goes through HKDF-SHA256
/// (RFC 5869; .NET's implementation, salt empty, info = a domain label naming the use, job, round and parties) before
/// it keys anything: a 32-byte ChaCha20 seed for a pairwise mask, or a ChaCha20-Poly1305 key (RFC 8439 AEAD,
/// .NET's) for the Shamir shares a client sends a neighbour through the arbiter.
/// </summary>
public static class SecureAggregationKdf
{
    public const int KeySize = 32;

    /// <summary>HKDF-SHA256(ikm, salt = empty, info = UTF-8(<paramref name="info"/>)), 32 bytes.</summary>
    public static byte[] Derive(ReadOnlySpan<byte> ikm, string info) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm.ToArray(), KeySize, salt: [], info: System.Text.Encoding.UTF8.GetBytes(info));

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> under a key used for exactly one message (so the nonce is zero):
    /// ciphertext ‖ 16-byte tag, with <paramref name="associatedData"/> authenticated.
    /// </summary>
    public static byte[] Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        using var aead = new ChaCha20Poly1305(key);
        var output = new byte[plaintext.Length + 16];
        aead.Encrypt(stackalloc byte[12], plaintext, output.AsSpan(0, plaintext.Length), output.AsSpan(plaintext.Length), associatedData);
        return output;
    }

    /// <summary>The plaintext of <see cref="Seal"/>.</summary>
    /// <exception cref="CryptographicException">The ciphertext, tag or associated data was altered, or the key is wrong.</exception>
    public static byte[] Open(ReadOnlySpan<byte> key, ReadOnlySpan<byte> sealedMessage, ReadOnlySpan<byte> associatedData)
    {
        if (sealedMessage.Length < 16)
            throw new CryptographicException($"A sealed share is at least 16 bytes (the tag); got {sealedMessage.Length}.");
        using var aead = new ChaCha20Poly1305(key);
        var plaintext = new byte[sealedMessage.Length - 16];
        aead.Decrypt(stackalloc byte[12], sealedMessage[..^16], sealedMessage[^16..], plaintext, associatedData);
        return plaintext;
    }
}
