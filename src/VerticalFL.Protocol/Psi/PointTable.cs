using System.Runtime.InteropServices;
using VerticalFL.Crypto.Psi;

namespace VerticalFL.Protocol.Psi;

/// <summary>Double-blinded points (32-byte keys) to the input row they came from.</summary>
internal sealed class PointTable(int capacity)
{
    private readonly Dictionary<Point, int> _rows = new(capacity);

    public int Count => _rows.Count;

    /// <summary>False when the point is already present (two rows with the same id).</summary>
    public bool TryAdd(ReadOnlySpan<byte> point, int row) => _rows.TryAdd(Point.From(point), row);

    public bool TryGetRow(ReadOnlySpan<byte> point, out int row) => _rows.TryGetValue(Point.From(point), out row);

    private readonly record struct Point(ulong A, ulong B, ulong C, ulong D)
    {
        public static Point From(ReadOnlySpan<byte> encoded) => MemoryMarshal.Read<Point>(encoded[..PsiKey.PointSize]);

        // Encodings of blinded points are uniformly distributed, so 64 of their bits make a fine hash.
        public override int GetHashCode() => (int)A ^ (int)(A >> 32);
    }
}
