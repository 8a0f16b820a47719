using System.Runtime.InteropServices;

namespace VerticalFL.Crypto.Native;

/// <summary>Checks once that libgmp can be loaded, so a missing library is one clear error rather than a DllNotFoundException deep in a loop.</summary>
internal static class GmpLibrary
{
    private static readonly string? LoadError = Probe(GmpNative.LibraryName);

    public static void EnsureAvailable()
    {
        if (LoadError is not null)
        {
            throw new DllNotFoundException(LoadError);
        }
    }

    /// <summary>Returns null when <paramref name="libraryName"/> loads and exports GMP, else the error to show.</summary>
    internal static string? Probe(string libraryName)
    {
        if (NativeLibrary.TryLoad(libraryName, typeof(GmpLibrary).Assembly, null, out var handle)
            && NativeLibrary.TryGetExport(handle, "__gmpz_powm_sec", out _))
        {
            return null;
        }

        return $"The GMP library ({libraryName}) could not be loaded; Paillier encryption needs it. "
            + "Install the Debian package libgmp10 (apt-get install libgmp10).";
    }
}
