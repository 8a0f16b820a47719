using System.Runtime.InteropServices;

namespace VerticalFL.Crypto.Native;

/// <summary>Checks once that libgmp can be loaded, so a missing library is one clear error rather than a DllNotFoundException deep in a loop.</summary>
internal static class GmpLibrary
{
    private static readonly string? LoadError = Probe(GmpNative.LibraryName);

    /// <summary>
    /// GMP's Montgomery reduction <c>mpn_redc_n(rp, up, mp, n, ip)</c>: rp = up / 2^(64n) mod mp, given
    /// ip = mp⁻¹ mod 2^(64n) (the one GMP's own powm uses for large moduli). It is exported by libgmp.so.10
    /// (5.0 through 6.3) but is not documented API, so callers fall back to division when it is missing.
    /// </summary>
    internal static readonly unsafe delegate* unmanaged<ulong*, ulong*, ulong*, nint, ulong*, void> MontgomeryReduce = FindExport("__gmpn_redc_n");

    public static void EnsureAvailable()
    {
        if (LoadError is not null)
        {
            throw new DllNotFoundException(LoadError);
        }
    }

    private static unsafe delegate* unmanaged<ulong*, ulong*, ulong*, nint, ulong*, void> FindExport(string name) =>
        NativeLibrary.TryLoad(GmpNative.LibraryName, typeof(GmpLibrary).Assembly, null, out var handle)
            && NativeLibrary.TryGetExport(handle, name, out var address)
            ? (delegate* unmanaged<ulong*, ulong*, ulong*, nint, ulong*, void>)address
            : null;

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
