using System.Numerics;
using System.Security.Cryptography;

namespace VerticalFL.Protocol.Training;

/// <summary>
/// The plaintext range of a party's gradient message, which the arbiter enforces before it returns anything.
/// An honest Σᵢ xᵢⱼ·4dᵢ (plus, in arbiter-steps mode, the penalty) is below 2^<see cref="ValueBits"/> in absolute
/// value; in masked mode the party adds a mask r ∈ [2^(bound+1), 2^256), so g + r ∈ [2^bound, 2^256 + 2^bound). The
/// arbiter returns nothing outside that range: no vector of unmasked values, of either sign (an unmasked residual
/// or score forwarded for decryption is below 2^bound in absolute value), and nothing larger.
/// </summary>
internal static class GradientRange
{
    /// <summary>Mask width: g + r is within 2^(bound − 256) ≤ 2^−141 of uniform.</summary>
    public const int MaskBits = 256;

    /// <summary>
    /// Bits of |Σᵢ xᵢⱼ·4dᵢ| in fixed point: B rows × 16-bit features (2^15) × up to 256 parties' scores below 2^20
    /// (Wire.FixedPoint refuses larger) at value bits, with one bit to spare for the penalty term in arbiter-steps
    /// mode (|α·w| &lt; 2^28).
    /// </summary>
    public static int ValueBits(int batchRows, int valueBits) =>
        valueBits + 44 + (int)Math.Ceiling(Math.Log2(Math.Max(2, batchRows)));

    /// <summary>A mask drawn uniformly from [2^(bound+1), 2^256), so an honest g + r is at least 2^bound.</summary>
    public static BigInteger Mask(int boundBits)
    {
        var floor = BigInteger.One << (boundBits + 1);
        while (true)
        {
            var r = new BigInteger(RandomNumberGenerator.GetBytes(MaskBits / 8), isUnsigned: true);
            if (r >= floor)
                return r;
        }
    }

    /// <summary>Whether an arbiter may return <paramref name="value"/> for a batch of <paramref name="batchRows"/>.</summary>
    public static bool Accepts(BigInteger value, bool masked, int batchRows, int valueBits)
    {
        var bound = BigInteger.One << ValueBits(batchRows, valueBits);
        return masked ? value >= bound && value < (BigInteger.One << MaskBits) + bound : BigInteger.Abs(value) < bound;
    }
}
