using System.Buffers.Binary;

namespace VerticalFL.Crypto.Ckks.Serialization;

/// <summary>Writes SEAL's little-endian fields into a buffer of the exact size (computed before writing).</summary>
internal ref struct SealWriter(Span<byte> destination)
{
    private readonly Span<byte> _bytes = destination;
    private int _position;

    public readonly int Position => _position;

    public void Header(int totalSize)
    {
        SealHeader.Write(_bytes[_position..], (ulong)totalSize);
        _position += SealHeader.Size;
    }

    public void Byte(byte value) => _bytes[_position++] = value;

    public void UInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_bytes[_position..], value);
        _position += 8;
    }

    public void Double(double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(_bytes[_position..], value);
        _position += 8;
    }

    public void ParmsId(ParmsId id)
    {
        id.WriteBytes(_bytes.Slice(_position, 32));
        _position += 32;
    }

    public void Words(ReadOnlySpan<ulong> words)
    {
        var target = _bytes.Slice(_position, words.Length * 8);
        if (BitConverter.IsLittleEndian)
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(words).CopyTo(target);
        else
            for (var i = 0; i < words.Length; i++) BinaryPrimitives.WriteUInt64LittleEndian(target[(i * 8)..], words[i]);
        _position += target.Length;
    }
}
