namespace VerticalFL.Protocol.Training;

/// <summary>Quantises the loss cross-term coefficients to 16 bits with as many fractional bits as their range allows.</summary>
internal static class LossCoefficients
{
    /// <returns>The coefficients as shorts and their fractional bits (≤ <paramref name="maxBits"/>).</returns>
    public static (short[] Values, int Bits) Quantize(double[] coefficients, int maxBits)
    {
        double largest = coefficients.Length == 0 ? 0 : coefficients.Max(Math.Abs);
        int bits = largest == 0 ? maxBits : Math.Clamp((int)Math.Floor(Math.Log2(short.MaxValue / largest)), 0, maxBits);
        double scale = Math.Pow(2, bits);
        var values = coefficients.Select(c => (short)Math.Clamp(Math.Round(c * scale), short.MinValue + 1, short.MaxValue)).ToArray();
        return (values, bits);
    }
}
