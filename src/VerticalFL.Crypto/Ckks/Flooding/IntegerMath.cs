using System.Numerics;

namespace VerticalFL.Crypto.Ckks.Flooding;

internal static class IntegerMath
{
    /// <summary>⌊√x⌋ for x ≥ 0, by Newton's iteration from above (monotone decreasing until it settles).</summary>
    public static BigInteger FloorSqrt(BigInteger x)
    {
        if (x.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(x), "Square root of a negative number.");
        }

        if (x < 2)
        {
            return x;
        }

        var estimate = BigInteger.One << (int)((x.GetBitLength() + 1) / 2); // ≥ √x
        while (true)
        {
            var next = (estimate + x / estimate) >> 1;
            if (next >= estimate)
            {
                return estimate;
            }

            estimate = next;
        }
    }
}
