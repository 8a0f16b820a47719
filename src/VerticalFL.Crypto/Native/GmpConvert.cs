using System.Numerics;
using System.Runtime.InteropServices;

namespace VerticalFL.Crypto.Native;

/// <summary>Moves numbers between GMP and .NET: <see cref="BigInteger"/> and fixed-width big-endian bytes.</summary>
internal static unsafe class GmpConvert
{
    private const int MostSignificantFirst = 1;
    private const int BigEndian = 1;

    public static int Sign(Mpz* x) => Math.Sign(x->Size);

    public static int BitLength(Mpz* x) => x->Size == 0 ? 0 : (int)GmpNative.SizeInBase(x, 2);

    /// <summary>Sets <paramref name="x"/> to a signed value.</summary>
    public static void Set(Mpz* x, BigInteger value)
    {
        var magnitude = BigInteger.Abs(value);
        var length = magnitude.GetByteCount(isUnsigned: true);
        Span<byte> buffer = length <= 1024 ? stackalloc byte[length] : new byte[length];
        magnitude.TryWriteBytes(buffer, out _, isUnsigned: true, isBigEndian: true);
        SetBigEndian(x, buffer);
        if (value.Sign < 0)
        {
            GmpNative.Negate(x, x);
        }

        buffer.Clear();
    }

    public static BigInteger ToBigInteger(Mpz* x)
    {
        var length = (BitLength(x) + 7) / 8;
        Span<byte> buffer = length <= 1024 ? stackalloc byte[length] : new byte[length];
        WriteBigEndian(x, buffer);
        var magnitude = new BigInteger(buffer, isUnsigned: true, isBigEndian: true);
        buffer.Clear();
        return x->Size < 0 ? -magnitude : magnitude;
    }

    /// <summary>Sets <paramref name="x"/> to the unsigned big-endian number in <paramref name="source"/>.</summary>
    public static void SetBigEndian(Mpz* x, ReadOnlySpan<byte> source)
    {
        fixed (byte* bytes = source)
        {
            GmpNative.Import(x, (nuint)source.Length, MostSignificantFirst, 1, BigEndian, 0, bytes);
        }
    }

    /// <summary>Writes |x| big-endian, right-aligned and zero-padded to fill <paramref name="destination"/> exactly.</summary>
    public static void WriteBigEndian(Mpz* x, Span<byte> destination)
    {
        var length = (BitLength(x) + 7) / 8;
        if (length > destination.Length)
        {
            throw new ArgumentException($"The number needs {length} bytes but the destination has {destination.Length}.", nameof(destination));
        }

        var padding = destination.Length - length;
        destination[..padding].Clear();
        fixed (byte* bytes = destination)
        {
            nuint written;
            GmpNative.Export(bytes + padding, &written, MostSignificantFirst, 1, BigEndian, 0, x);
        }
    }

    /// <summary>Overwrites all allocated limbs (GMP does not clear memory it frees).</summary>
    public static void Wipe(Mpz* x)
    {
        if (x->Limbs != 0)
        {
            NativeMemory.Clear((void*)x->Limbs, (nuint)x->Allocated * sizeof(ulong));
        }

        x->Size = 0;
    }
}
