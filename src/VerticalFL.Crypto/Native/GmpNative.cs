using System.Runtime.InteropServices;

namespace VerticalFL.Crypto.Native;

/// <summary>GMP's <c>mpz_t</c>: <c>{ int alloc; int size; mp_limb_t* d; }</c>; the sign of <c>size</c> is the number's sign.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Mpz
{
    public int Allocated;
    public int Size;
    public nint Limbs;
}

/// <summary>
/// P/Invoke into libgmp.so.10. The <c>mpz_*</c> names in gmp.h are macros for these <c>__gmpz_*</c> exports.
/// Callers must first pass <see cref="GmpLibrary.EnsureAvailable"/> so a missing library fails with one clear error.
/// </summary>
internal static unsafe partial class GmpNative
{
    internal const string LibraryName = "libgmp.so.10";

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_init2")]
    internal static partial void Init2(Mpz* x, nuint bits);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_clear")]
    internal static partial void Clear(Mpz* x);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_set")]
    internal static partial void Set(Mpz* r, Mpz* x);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_set_ui")]
    internal static partial void SetUnsigned(Mpz* r, nuint x);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_set_si")]
    internal static partial void SetSigned(Mpz* r, nint x);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_add")]
    internal static partial void Add(Mpz* r, Mpz* a, Mpz* b);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_add_ui")]
    internal static partial void AddUnsigned(Mpz* r, Mpz* a, nuint b);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_sub")]
    internal static partial void Subtract(Mpz* r, Mpz* a, Mpz* b);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_sub_ui")]
    internal static partial void SubtractUnsigned(Mpz* r, Mpz* a, nuint b);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_neg")]
    internal static partial void Negate(Mpz* r, Mpz* a);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_mul_2exp")]
    internal static partial void ShiftLeft(Mpz* r, Mpz* a, nuint bits);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_mul")]
    internal static partial void Multiply(Mpz* r, Mpz* a, Mpz* b);

    /// <summary>Remainder with the sign of the dividend; callers pass non-negative dividends.</summary>
    [LibraryImport(LibraryName, EntryPoint = "__gmpz_tdiv_r")]
    internal static partial void Remainder(Mpz* r, Mpz* n, Mpz* d);

    /// <summary>Non-negative remainder for any sign of the dividend.</summary>
    [LibraryImport(LibraryName, EntryPoint = "__gmpz_mod")]
    internal static partial void Mod(Mpz* r, Mpz* n, Mpz* d);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_divexact")]
    internal static partial void DivideExact(Mpz* q, Mpz* n, Mpz* d);

    /// <summary>Returns non-zero when the inverse exists.</summary>
    [LibraryImport(LibraryName, EntryPoint = "__gmpz_invert")]
    internal static partial int Invert(Mpz* r, Mpz* a, Mpz* m);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_gcd")]
    internal static partial void Gcd(Mpz* r, Mpz* a, Mpz* b);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_powm")]
    internal static partial void PowMod(Mpz* r, Mpz* b, Mpz* e, Mpz* m);

    /// <summary>Constant-time in the exponent's bits (needs e &gt; 0 and an odd modulus).</summary>
    [LibraryImport(LibraryName, EntryPoint = "__gmpz_powm_sec")]
    internal static partial void PowModSecure(Mpz* r, Mpz* b, Mpz* e, Mpz* m);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_cmp")]
    internal static partial int Compare(Mpz* a, Mpz* b);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_cmp_ui")]
    internal static partial int CompareUnsigned(Mpz* a, nuint b);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_sizeinbase")]
    internal static partial nuint SizeInBase(Mpz* a, int numberBase);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_probab_prime_p")]
    internal static partial int ProbablyPrime(Mpz* n, int repetitions);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_import")]
    internal static partial void Import(Mpz* r, nuint count, int order, nuint size, int endian, nuint nails, byte* source);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_export")]
    internal static partial byte* Export(byte* destination, nuint* count, int order, nuint size, int endian, nuint nails, Mpz* x);

    // Low-level (mpn) functions on fixed-width little-endian limb arrays; all documented GMP API.
    [LibraryImport(LibraryName, EntryPoint = "__gmpn_mul_n")]
    internal static partial void LimbsMultiply(ulong* r, ulong* a, ulong* b, nint n);

    [LibraryImport(LibraryName, EntryPoint = "__gmpn_sqr")]
    internal static partial void LimbsSquare(ulong* r, ulong* a, nint n);

    /// <summary>q = n / d, r = n mod d for an nn-limb n and a dn-limb d with a non-zero top limb; q has nn−dn+1 limbs.</summary>
    [LibraryImport(LibraryName, EntryPoint = "__gmpn_tdiv_qr")]
    internal static partial void LimbsDivide(ulong* q, ulong* r, nint qxn, ulong* n, nint nn, ulong* d, nint dn);
}
