using System.Buffers.Binary;

namespace VerticalFL.Crypto.Ckks.Serialization;

/// <summary>Reads SEAL's little-endian fields in order; running out of bytes is a clear "truncated" error.</summary>
internal ref struct SealReader(ReadOnlySpan<byte> bytes, string source)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;
    private int _position;

    public readonly string Source => source;
    public readonly int Position => _position;
    public readonly int Remaining => _bytes.Length - _position;

    public ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count < 0 || count > Remaining)
            throw new SealFormatException(
                $"{source}: truncated: {what} needs {count} bytes at offset {_position}, only {Remaining} are left.");
        var slice = _bytes.Slice(_position, count);
        _position += count;
        return slice;
    }

    public byte ReadByte(string what) => Take(1, what)[0];
    public ulong ReadUInt64(string what) => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, what));
    public double ReadDouble(string what) => BinaryPrimitives.ReadDoubleLittleEndian(Take(8, what));
    public ParmsId ReadParmsId() => ParmsId.FromBytes(Take(32, "parms_id"));

    /// <summary>Reads <paramref name="count"/> little-endian u64 words into a new array.</summary>
    public ulong[] ReadWords(long count, string what)
    {
        if (count < 0 || count > Remaining / 8)
            throw new SealFormatException(
                $"{source}: truncated: {what} needs {count} words ({count * 8} bytes) at offset {_position}, only {Remaining} bytes are left.");
        var bytes = Take((int)count * 8, what);
        var words = new ulong[count];
        for (var i = 0; i < words.Length; i++) words[i] = BinaryPrimitives.ReadUInt64LittleEndian(bytes[(i * 8)..]);
        return words;
    }

    /// <summary>
    /// Reads a nested object's header (SEAL saves each Modulus and the coefficient array as objects of their own)
    /// and returns the size of its body.
    /// </summary>
    public int ReadNestedHeader(string what)
    {
        var total = SealHeader.Read(_bytes[_position..], $"{source} ({what})");
        Take(SealHeader.Size, what);
        return total - SealHeader.Size;
    }

    /// <summary>Fails unless every byte was read: a SEAL object is exactly as long as its header says.</summary>
    public readonly void EnsureEnd()
    {
        if (Remaining != 0)
            throw new SealFormatException($"{source}: {Remaining} unexpected bytes after the object's body at offset {_position}.");
    }
}
