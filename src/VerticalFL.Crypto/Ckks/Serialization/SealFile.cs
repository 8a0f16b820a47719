using System.Security.Cryptography;

namespace VerticalFL.Crypto.Ckks.Serialization;

/// <summary>Reads and writes SEAL objects as files: whole-file reads with clear errors, atomic writes.</summary>
public static class SealFile
{
    /// <summary>Larger than any object we handle (an N=32768 public key at 64 primes is ~34 MB).</summary>
    private const long MaxBytes = 1L << 30;

    public static byte[] Read(string path)
    {
        try
        {
            var length = new FileInfo(path).Length;
            if (length > MaxBytes)
                throw new SealFormatException($"{path}: {length} bytes, larger than any SEAL object we read ({MaxBytes}).");
            return File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            throw new SealFormatException($"{path}: no such file.");
        }
        catch (DirectoryNotFoundException)
        {
            throw new SealFormatException($"{path}: no such file (its directory does not exist).");
        }
        catch (UnauthorizedAccessException)
        {
            throw new SealFormatException($"{path}: not readable (permission denied).");
        }
    }

    /// <summary>Reads a secret-key file and hands its bytes to <paramref name="load"/>; the bytes are zeroed after.</summary>
    public static T ReadSecret<T>(string path, Func<byte[], T> load)
    {
        var bytes = Read(path);
        try
        {
            return load(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> to a temporary file beside <paramref name="path"/> and renames it into place,
    /// so a reader never sees half a file. A private file is created 0600 from the start.
    /// </summary>
    public static void WriteAtomic(string path, ReadOnlySpan<byte> bytes, bool isPrivate = false)
    {
        var full = Path.GetFullPath(path);
        var temporary = full + ".tmp-" + Guid.NewGuid().ToString("N");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (isPrivate && !OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
