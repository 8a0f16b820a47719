using System.Buffers.Binary;

namespace VerticalFL.Crypto.Ckks.Serialization;

/// <summary>
/// Which SEAL object an uncompressed body's layout fits, judged by its sizes alone (each object's length follows
/// from its own fields), so that a file of the wrong kind is named as such instead of failing on a field.
/// </summary>
internal static class SealLayout
{
    public static bool IsParameters(ReadOnlySpan<byte> b) =>
        b.Length >= 33 && b[16] <= 3 && U64(b, 25) is var count && count <= 64 && (ulong)b.Length == (ulong)SealParametersFormat.ByteCount((int)count);

    public static bool IsPlaintext(ReadOnlySpan<byte> b) =>
        b.Length >= 64 && U64(b, 48) is var count && count < (1UL << 40) && (ulong)b.Length == 16 + 48 + 24 + 8 * count;

    public static bool IsCiphertext(ReadOnlySpan<byte> b)
    {
        if (b.Length < 89) return false;
        ulong size = U64(b, 49), n = U64(b, 57), primes = U64(b, 65);
        if (size > 16 || n > 32768 || primes > 64) return false;
        var full = (ulong)SealPolyFormat.CiphertextByteCount((int)size, (int)n, (int)primes);
        return (ulong)b.Length == full || (size == 2 && b.Length > 89 + 24 && U64(b, 105) == n * primes); // full or seeded
    }

    /// <summary>The kind a body fits, or null.</summary>
    public static string? KindOf(ReadOnlySpan<byte> b) =>
        IsParameters(b) ? "EncryptionParameters" : IsPlaintext(b) ? "Plaintext (or SecretKey)" : IsCiphertext(b) ? "Ciphertext (or PublicKey)" : null;

    private static ulong U64(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(b[offset..]);
}
