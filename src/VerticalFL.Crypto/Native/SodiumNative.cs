using System.Runtime.InteropServices;

namespace VerticalFL.Crypto.Native;

/// <summary>
/// The libsodium entry points PSI needs (Debian <c>libsodium23</c>). libsodium is initialised once,
/// before the first call, by the static constructor.
/// </summary>
internal static unsafe partial class SodiumNative
{
    private const string Library = "libsodium.so.23";

    static SodiumNative()
    {
        if (sodium_init() < 0)
            throw new InvalidOperationException("libsodium failed to initialise (sodium_init returned -1).");
    }

    [LibraryImport(Library)]
    private static partial int sodium_init();

    /// <summary>Maps 64 uniform bytes to a ristretto255 element (RFC 9496 element derivation). Returns 0.</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_core_ristretto255_from_hash(byte* point, byte* hash64);

    /// <summary>point·scalar; −1 when <paramref name="point"/> is not a valid encoding or the result is the identity.</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_scalarmult_ristretto255(byte* result, byte* scalar, byte* point);

    /// <summary>Generator·scalar; −1 when the result is the identity.</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_scalarmult_ristretto255_base(byte* result, byte* scalar);

    /// <summary>A uniformly random non-zero scalar modulo the group order.</summary>
    [LibraryImport(Library)]
    internal static partial void crypto_core_ristretto255_scalar_random(byte* scalar);

    [LibraryImport(Library)]
    internal static partial int crypto_core_ristretto255_is_valid_point(byte* point);

    /// <summary>Zeroes memory in a way the compiler may not elide.</summary>
    [LibraryImport(Library)]
    internal static partial void sodium_memzero(byte* buffer, nuint length);
}
