namespace VerticalFL.Crypto.Io;

/// <summary>Whole-file writes that a reader never sees half done: keys, ciphertexts, models, reports, CSV outputs.</summary>
public static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="bytes"/> to a temporary file beside <paramref name="path"/> and renames it into place,
    /// so a reader never sees half a file. A private file is created 0600 from the start.
    /// </summary>
    public static void Write(string path, ReadOnlySpan<byte> bytes, bool isPrivate = false)
    {
        byte[] copy = bytes.ToArray();
        Write(path, stream => stream.Write(copy), isPrivate);
    }

    /// <summary>As <see cref="Write(string, ReadOnlySpan{byte}, bool)"/>, with the content streamed by <paramref name="write"/>.</summary>
    public static void Write(string path, Action<Stream> write, bool isPrivate = false)
    {
        var full = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (isPrivate && !OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);   // a no-op once the rename happened
        }
    }

    /// <summary>Writes UTF-8 text (no byte-order mark) line by line through <paramref name="write"/>, atomically.</summary>
    public static void WriteText(string path, Action<TextWriter> write, bool isPrivate = false) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
            write(writer);
        }, isPrivate);
}
