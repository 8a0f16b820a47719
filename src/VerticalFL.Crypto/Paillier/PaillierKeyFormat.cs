using System.Buffers.Binary;

namespace VerticalFL.Crypto.Paillier;

/// <summary>
/// Versioned byte layouts for keys (protobuf-friendly: carry them as <c>bytes</c>). All numbers are
/// fixed-width, big-endian:
/// <code>
/// public : "VFLP" | version 1 | kind 1 | u16 modulus bits | n (bits/8) | hs = h^n mod n² (bits/4)
/// private: "VFLP" | version 1 | kind 2 | u16 modulus bits | p (bits/16) | q (bits/16) | hs (bits/4)
/// </code>
/// </summary>
internal static class PaillierKeyFormat
{
    public const byte Version = 1;
    public const byte PublicKind = 1;
    public const byte PrivateKind = 2;
    public const int HeaderBytes = 8;
    private static ReadOnlySpan<byte> Magic => "VFLP"u8;

    public static int PublicKeyBytes(int modulusBits) => HeaderBytes + 3 * (modulusBits / 8);

    public static int PrivateKeyBytes(int modulusBits) => HeaderBytes + 2 * (modulusBits / 16) + 2 * (modulusBits / 8);

    public static void WriteHeader(Span<byte> destination, byte kind, int modulusBits)
    {
        Magic.CopyTo(destination);
        destination[4] = Version;
        destination[5] = kind;
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], (ushort)modulusBits);
    }

    /// <summary>Checks magic, version, kind, size and total length; returns the modulus size in bits.</summary>
    public static int ReadHeader(ReadOnlySpan<byte> source, byte kind, string parameterName)
    {
        var what = kind == PublicKind ? "public" : "private";
        if (source.Length < HeaderBytes || !source[..4].SequenceEqual(Magic))
        {
            throw new ArgumentException($"Not a VerticalFL Paillier {what} key (missing the \"VFLP\" header).", parameterName);
        }

        if (source[4] != Version)
        {
            throw new ArgumentException($"Unsupported Paillier key format version {source[4]} (this build reads version {Version}).", parameterName);
        }

        if (source[5] != kind)
        {
            var other = source[5] == PublicKind ? "public" : source[5] == PrivateKind ? "private" : $"unknown ({source[5]})";
            throw new ArgumentException($"Expected a Paillier {what} key but found a {other} key.", parameterName);
        }

        var bits = BinaryPrimitives.ReadUInt16BigEndian(source[6..]);
        if (bits is not (1024 or 2048 or 3072))
        {
            throw new ArgumentException($"Unsupported Paillier modulus size {bits} bits (1024 test-only, 2048, 3072).", parameterName);
        }

        var expected = kind == PublicKind ? PublicKeyBytes(bits) : PrivateKeyBytes(bits);
        if (source.Length != expected)
        {
            throw new ArgumentException($"A {bits}-bit Paillier {what} key is {expected} bytes, but {source.Length} were given (truncated or padded).", parameterName);
        }

        return bits;
    }
}
