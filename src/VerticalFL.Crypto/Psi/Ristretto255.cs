using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using VerticalFL.Crypto.Native;

namespace VerticalFL.Crypto.Psi;

/// <summary>Hash-to-group for PSI ids: ristretto255 element derivation (RFC 9496 §4.3.4) of SHA-512(salt ‖ UTF-8(id)).</summary>
internal static unsafe class Ristretto255
{
    private const int StackLimit = 1024;

    // Throws on lone surrogates instead of mapping them to U+FFFD, so two different strings never hash alike.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public const int HashSize = SHA512.HashSizeInBytes;

    public static void HashToGroup(ReadOnlySpan<byte> salt, string id, Span<byte> point)
    {
        Span<byte> hash = stackalloc byte[HashSize];
        Hash(salt, id, hash);
        FromHash(hash, point);
    }

    /// <summary>SHA-512(salt ‖ UTF-8(id)): the 64 bytes element derivation maps to a point.</summary>
    public static void Hash(ReadOnlySpan<byte> salt, string id, Span<byte> hash)
    {
        int maxLength = salt.Length + StrictUtf8.GetMaxByteCount(id.Length);
        byte[]? rented = maxLength > StackLimit ? ArrayPool<byte>.Shared.Rent(maxLength) : null;
        Span<byte> input = rented ?? stackalloc byte[StackLimit];
        try
        {
            salt.CopyTo(input);
            int length = salt.Length + Utf8(id, input[salt.Length..]);
            SHA512.HashData(input[..length], hash);
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary><c>crypto_core_ristretto255_from_hash</c>: 64 uniform bytes to an element.</summary>
    public static void FromHash(ReadOnlySpan<byte> hash64, Span<byte> point)
    {
        if (hash64.Length != 64 || point.Length != PsiKey.PointSize)
            throw new ArgumentException("from_hash takes 64 bytes and writes 32.");
        fixed (byte* h = hash64)
        fixed (byte* p = point)
            SodiumNative.crypto_core_ristretto255_from_hash(p, h);
    }

    private static int Utf8(string id, Span<byte> destination)
    {
        try
        {
            return StrictUtf8.GetBytes(id, destination);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException("An id is not valid Unicode (it contains a lone surrogate).", nameof(id), e);
        }
    }
}
