using System.Buffers.Binary;

namespace VerticalFL.Crypto.Ckks.Serialization;

/// <summary>SEAL's compression modes (the header's fifth byte).</summary>
public enum SealCompression : byte
{
    None = 0,
    Zlib = 1,
    Zstd = 2,
}

/// <summary>
/// The 16-byte header in front of every SEAL object (SEAL's <c>Serialization::SEALHeader</c>): magic 0xA15E (u16),
/// header size 16 (u8), version major and minor (u8 each), compression mode (u8), reserved (u16), total size of
/// header and body in bytes (u64), all little-endian.
/// </summary>
public readonly record struct SealHeader(byte VersionMajor, byte VersionMinor, SealCompression Compression, ulong TotalSize)
{
    public const int Size = 16;
    public const ushort Magic = 0xA15E;

    /// <summary>We write version 4.1: node-seal 7 (SEAL 4.1) loads no other 4.x version.</summary>
    public const byte WriteMajor = 4, WriteMinor = 1;

    /// <summary>Versions we read: SEAL 4.0–4.4 all write the layouts below.</summary>
    public const byte ReadMinorMax = 4;

    public static void Write(Span<byte> destination, ulong totalSize)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(destination, Magic);
        destination[2] = Size;
        destination[3] = WriteMajor;
        destination[4] = WriteMinor;
        destination[5] = (byte)SealCompression.None;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], 0);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], totalSize);
    }

    /// <summary>Reads the header fields without judging them (for <c>vfl ckks inspect</c>).</summary>
    public static SealHeader Peek(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < Size)
            throw new SealFormatException($"{source}: truncated: {bytes.Length} bytes, shorter than SEAL's {Size}-byte header.");
        var magic = BinaryPrimitives.ReadUInt16LittleEndian(bytes);
        if (magic != Magic)
            throw new SealFormatException($"{source}: not a SEAL object: magic 0x{magic:X4}, expected 0x{Magic:X4}.");
        return new SealHeader(bytes[3], bytes[4], (SealCompression)bytes[5], BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]));
    }

    /// <summary>
    /// Reads and checks a header at the start of <paramref name="bytes"/>: magic, header size, version 4.0–4.4,
    /// compression none, and a total size that fits in the bytes given. Returns the total size.
    /// </summary>
    public static int Read(ReadOnlySpan<byte> bytes, string source)
    {
        var header = Peek(bytes, source);
        if (bytes[2] != Size)
            throw new SealFormatException($"{source}: header size {bytes[2]}, SEAL's is {Size}.");
        if (header.VersionMajor != 4 || header.VersionMinor > ReadMinorMax)
            throw new SealFormatException(
                $"{source}: SEAL format version {header.VersionMajor}.{header.VersionMinor} is not supported (4.0 to 4.{ReadMinorMax} are).");
        if (header.Compression != SealCompression.None)
        {
            var name = Enum.IsDefined(header.Compression) ? header.Compression.ToString().ToLowerInvariant() : $"unknown mode {(byte)header.Compression}";
            throw new SealFormatException(
                $"{source}: compressed object ({name}); only compression mode none is supported: save it with compr_mode_type::none.");
        }
        if (header.TotalSize < Size)
            throw new SealFormatException($"{source}: header says {header.TotalSize} bytes in all, less than the header itself.");
        if (header.TotalSize > (ulong)bytes.Length)
            throw new SealFormatException($"{source}: truncated: the header says {header.TotalSize} bytes, only {bytes.Length} are there.");
        return (int)header.TotalSize;
    }
}
