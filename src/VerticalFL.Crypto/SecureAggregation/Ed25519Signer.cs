using System.Security.Cryptography;
using VerticalFL.Crypto.Native;

namespace VerticalFL.Crypto.SecureAggregation;

/// <summary>
/// A long-term Ed25519 signing key (RFC 8032, libsodium). Secure-aggregation clients sign their key advertisements
/// with it, so an arbiter that relays them cannot substitute its own keys: every client knows every other client's
/// <see cref="PublicKey"/> out of band (the federation's registry) and checks with <see cref="Verify"/>.
/// </summary>
public sealed unsafe class Ed25519Signer : IDisposable
{
    public const int PublicKeySize = 32, SignatureSize = 64, SeedSize = 32;

    private readonly byte[] _secret = new byte[64];

    private Ed25519Signer(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedSize)
            throw new ArgumentException($"An Ed25519 seed is {SeedSize} bytes, got {seed.Length}.", nameof(seed));
        PublicKey = new byte[PublicKeySize];
        fixed (byte* pk = PublicKey)
        fixed (byte* sk = _secret)
        fixed (byte* s = seed)
            SodiumNative.crypto_sign_ed25519_seed_keypair(pk, sk, s);
    }

    public byte[] PublicKey { get; }

    public static Ed25519Signer Generate()
    {
        var seed = RandomNumberGenerator.GetBytes(SeedSize);
        try
        {
            return new Ed25519Signer(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>The key of a 32-byte seed (RFC 8032's private key): stored keys and test vectors.</summary>
    public static Ed25519Signer FromSeed(ReadOnlySpan<byte> seed) => new(seed);

    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        var signature = new byte[SignatureSize];
        fixed (byte* sig = signature)
        fixed (byte* m = message)
        fixed (byte* sk = _secret)
            SodiumNative.crypto_sign_ed25519_detached(sig, null, m, (ulong)message.Length, sk);
        return signature;
    }

    /// <summary>True when <paramref name="signature"/> is <paramref name="publicKey"/>'s signature of <paramref name="message"/>.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeySize || signature.Length != SignatureSize)
            return false;
        fixed (byte* sig = signature)
        fixed (byte* m = message)
        fixed (byte* pk = publicKey)
            return SodiumNative.crypto_sign_ed25519_verify_detached(sig, m, (ulong)message.Length, pk) == 0;
    }

    public override string ToString() => "Ed25519Signer (secret hidden)";

    public void Dispose() => CryptographicOperations.ZeroMemory(_secret);
}
