using System.Buffers;
using System.Text;

namespace VerticalFL.Protocol.Psi;

/// <summary>Finds where a file stops being UTF-8 (only used once a read has already failed).</summary>
internal static class Utf8Scan
{
    /// <summary>The 1-based line holding the first invalid (or truncated) UTF-8 sequence; 1 if none is found.</summary>
    public static long FirstInvalidLine(string path)
    {
        var bytes = File.ReadAllBytes(path).AsSpan();
        long line = 1;
        while (!bytes.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(bytes, out _, out int consumed) != OperationStatus.Done)
                return line;
            if (bytes[0] == (byte)'\n')
                line++;
            bytes = bytes[consumed..];
        }
        return 1;
    }
}
