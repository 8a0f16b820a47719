using System.Security.Cryptography;
using VerticalFL.Crypto.Io;

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

    /// <summary>Writes a SEAL object's bytes so that a reader never sees half a file (see <see cref="AtomicFile"/>).</summary>
    public static void WriteAtomic(string path, ReadOnlySpan<byte> bytes, bool isPrivate = false) =>
        AtomicFile.Write(path, bytes, isPrivate);
}
