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
    /// Random bits of the DJN exponent s: 256 = 2 × 128, at least twice the security level of every supported
    /// key (112 bits for 2048, 128 for 3072), because discrete logarithms with a k-bit exponent fall to
    /// Pollard's kangaroo in 2^(k/2) steps. On top of them s has a fixed bit 2^256 (so s = 2^256 + r has a fixed
    /// size for powm_sec without giving up a random bit): <see cref="ExponentBytes"/> + 1 bytes, the last one 1.
    /// </summary>
    public const int ExponentBits = 256;
    public const int ExponentBytes = ExponentBits / 8;
    private const int Digits = 256;
    private const int TopIndex = ExponentBytes * Digits;

    private readonly PaillierPublicKey key;
    private readonly GmpIntegerArray entries;

    public FixedBaseTable(PaillierPublicKey key)
    {
        this.key = key;
        entries = GmpIntegerArray.Create(ExponentBytes * Digits + 1, key.ResidueBits);
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

        // hs^(2^256) = (base of the last row)^256, for the fixed top bit.
        ModMath.Multiply(pin[TopIndex], pin[TopIndex - Digits + 255], pin[TopIndex - Digits + 1], nn, product.Pointer);
        GC.KeepAlive(key);
    }

    /// <summary>
    /// result = hs^s mod n², s given little-endian in <paramref name="exponent"/>: <see cref="ExponentBytes"/> bytes,
    /// optionally followed by one byte 0 or 1 (the fixed top bit 2^256).
    /// </summary>
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

        if (exponent.Length > ExponentBytes)
        {
            if (exponent.Length != ExponentBytes + 1 || exponent[ExponentBytes] > 1)
            {
                throw new ArgumentException($"The exponent has at most {ExponentBits + 1} bits.", nameof(exponent));
            }

            if (exponent[ExponentBytes] == 1)
            {
                ModMath.Multiply(result, result, pin[TopIndex], nn, product);
            }
        }

        GC.KeepAlive(key);
    }
}
