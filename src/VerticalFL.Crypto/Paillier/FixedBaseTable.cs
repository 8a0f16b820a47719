using VerticalFL.Crypto.Native;

namespace VerticalFL.Crypto.Paillier;

/// <summary>
/// hs^(d·256^w) mod n² for every byte position w of the random exponent and every byte value d, so that
/// hs^s costs one modular multiplication per non-zero byte of s (31 on average) instead of ~256 squarings.
/// About 8,200 entries (4.4 MB for a 2048-bit key), built once per key in tens of milliseconds.
/// </summary>
internal sealed unsafe class FixedBaseTable
{
    /// <summary>
    /// Bits of the DJN random exponent s: 256 = 2 × 128, at least twice the security level of every supported
    /// key (112 bits for 2048, 128 for 3072), because discrete logarithms with a k-bit exponent fall to
    /// Pollard's kangaroo in 2^(k/2) steps. The top bit is always set (so s has a fixed size): 255 bits of entropy.
    /// </summary>
    public const int ExponentBits = 256;
    public const int ExponentBytes = ExponentBits / 8;
    private const int Digits = 256;

    private readonly PaillierPublicKey key;
    private readonly GmpIntegerArray entries;

    public FixedBaseTable(PaillierPublicKey key)
    {
        this.key = key;
        entries = GmpIntegerArray.Create(ExponentBytes * Digits, key.ResidueBits);
        using var product = GmpInteger.Create(key.ProductBits);
        using var pin = entries.Pin();
        var nn = key.NSquared.Pointer;
        for (var position = 0; position < ExponentBytes; position++)
        {
            var row = position * Digits;
            if (position == 0)
            {
                GmpNative.Set(pin[1], key.Hs.Pointer);
            }
            else
            {
                // base of this row = (base of previous row)^256 = entry[255] · entry[1].
                ModMath.Multiply(pin[row + 1], pin[row - Digits + 255], pin[row - Digits + 1], nn, product.Pointer);
            }

            GmpNative.SetUnsigned(pin[row], 1);
            for (var digit = 2; digit < Digits; digit++)
            {
                ModMath.Multiply(pin[row + digit], pin[row + digit - 1], pin[row + 1], nn, product.Pointer);
            }
        }

        GC.KeepAlive(key);
    }

    /// <summary>result = hs^s mod n², s given little-endian in <paramref name="exponent"/> (<see cref="ExponentBytes"/> bytes).</summary>
    public void Power(Mpz* result, ReadOnlySpan<byte> exponent, Mpz* product)
    {
        using var pin = entries.Pin();
        var nn = key.NSquared.Pointer;
        var started = false;
        for (var position = 0; position < ExponentBytes; position++)
        {
            var digit = exponent[position];
            if (digit == 0)
            {
                continue;
            }

            var entry = pin[position * Digits + digit];
            if (started)
            {
                ModMath.Multiply(result, result, entry, nn, product);
            }
            else
            {
                GmpNative.Set(result, entry);
                started = true;
            }
        }

        if (!started)
        {
            GmpNative.SetUnsigned(result, 1);
        }

        GC.KeepAlive(key);
    }
}
