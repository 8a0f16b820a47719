using System.Numerics;

namespace VerticalFL.Crypto.Encoding;

/// <summary>Signed reals as integers with an explicit scale: v ↦ round(v·2^fractionalBits).</summary>
public static class FixedPoint
{
    /// <summary>Largest supported scale; 2^1000 keeps every finite double's scaled value finite enough to check.</summary>
    public const int MaxFractionalBits = 1000;

    /// <summary>round(value·2^fractionalBits), ties to even. Exact for every finite double.</summary>
    public static BigInteger Encode(double value, int fractionalBits)
    {
        CheckScale(fractionalBits);
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Only finite values can be encoded.");
        }

        // value = mantissa·2^exponent exactly; shift in the integers so no double can overflow.
        var bits = BitConverter.DoubleToInt64Bits(value);
        var rawExponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xF_FFFF_FFFF_FFFFL;
        if (rawExponent == 0)
        {
            rawExponent = 1; // subnormal
        }
        else
        {
            mantissa |= 1L << 52;
        }

        var shift = rawExponent - 1075 + fractionalBits;
        var magnitude = shift >= 0 ? (BigInteger)mantissa << shift : RoundShiftRight(mantissa, -shift);
        return value < 0 ? -magnitude : magnitude;
    }

    /// <summary>value / 2^fractionalBits as the nearest double (±infinity beyond double's range).</summary>
    public static double Decode(BigInteger value, int fractionalBits)
    {
        CheckScale(fractionalBits);
        var length = (long)BigInteger.Abs(value).GetBitLength();
        var excess = (int)Math.Max(0, length - 900);
        // Drop bits a double cannot hold before converting, so huge values do not become infinity too early.
        return Math.ScaleB((double)(value >> excess), excess - fractionalBits);
    }

    /// <summary>round(m / 2^shift), ties to even, for m ≥ 0.</summary>
    private static BigInteger RoundShiftRight(long m, int shift)
    {
        if (shift > 62)
        {
            return BigInteger.Zero;
        }

        var quotient = m >> shift;
        var remainder = m - (quotient << shift);
        var half = 1L << (shift - 1);
        if (remainder > half || (remainder == half && (quotient & 1) == 1))
        {
            quotient++;
        }

        return quotient;
    }

    private static void CheckScale(int fractionalBits)
    {
        if (fractionalBits is < 0 or > MaxFractionalBits)
        {
            throw new ArgumentOutOfRangeException(nameof(fractionalBits), fractionalBits, $"fractionalBits must be between 0 and {MaxFractionalBits}.");
        }
    }
}
