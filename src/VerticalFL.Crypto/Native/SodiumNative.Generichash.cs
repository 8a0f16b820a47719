using System.Runtime.InteropServices;

namespace VerticalFL.Crypto.Native;

internal static unsafe partial class SodiumNative
{
    /// <summary>Unkeyed BLAKE2b with an output of <paramref name="outLength"/> bytes (16..64). Returns 0.</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_generichash(byte* output, nuint outLength, byte* input, ulong inputLength, byte* key, nuint keyLength);
}
