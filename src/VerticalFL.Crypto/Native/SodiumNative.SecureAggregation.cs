using System.Runtime.InteropServices;

namespace VerticalFL.Crypto.Native;

/// <summary>libsodium entry points of secure aggregation (X25519, ChaCha20 IETF keystream, Ed25519).</summary>
internal static unsafe partial class SodiumNative
{
    /// <summary>q = n·p on Curve25519 (RFC 7748 X25519). −1 when the result is the all-zero point (a low-order peer key).</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_scalarmult_curve25519(byte* q, byte* n, byte* p);

    /// <summary>q = n·9 (the X25519 public key of secret n). Returns 0.</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_scalarmult_curve25519_base(byte* q, byte* n);

    /// <summary>The ChaCha20 (RFC 8439, 96-bit nonce) keystream from block 0. Returns 0.</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_stream_chacha20_ietf(byte* c, ulong clen, byte* n, byte* k);

    /// <summary>m XOR the ChaCha20 keystream starting at block counter <paramref name="ic"/>. Returns 0.</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_stream_chacha20_ietf_xor_ic(byte* c, byte* m, ulong mlen, byte* n, uint ic, byte* k);

    /// <summary>The Ed25519 key pair of a 32-byte seed: pk 32 bytes, sk 64 bytes (seed ‖ pk). Returns 0.</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_sign_ed25519_seed_keypair(byte* pk, byte* sk, byte* seed);

    /// <summary>A 64-byte Ed25519 signature of m (RFC 8032 pure Ed25519). Returns 0.</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_sign_ed25519_detached(byte* sig, ulong* siglen, byte* m, ulong mlen, byte* sk);

    /// <summary>0 when sig is a valid signature of m under pk, −1 otherwise.</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_sign_ed25519_verify_detached(byte* sig, byte* m, ulong mlen, byte* pk);
}
