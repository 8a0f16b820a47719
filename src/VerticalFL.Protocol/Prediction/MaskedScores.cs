using VerticalFL.Ml.Data;

namespace VerticalFL.Protocol.Prediction;

/// <summary>
/// Partial scores as fixed-point words mod 2^64 (32 fractional bits), so that pairwise masks can be added and
/// cancel exactly in the guest's sum. Each host's score must stay within ±2^26, so the sum of up to 32 hosts
/// decodes without wrapping; the rounding error is at most 2^-33 per host.
/// </summary>
internal static class MaskedScores
{
    private const double Scale = 4294967296.0;    // 2^32
    private const double MaxPartialScore = 67108864.0;   // 2^26
    public const int MaxHosts = 32;

    public static ulong[] Encode(double[] scores)
    {
        var words = new ulong[scores.Length];
        for (int i = 0; i < scores.Length; i++)
        {
            if (!(Math.Abs(scores[i]) < MaxPartialScore))
                throw new BadInputException($"row {i}: partial score {scores[i]} is outside ±2^26; the model or the data is out of range.");
            words[i] = unchecked((ulong)(long)Math.Round(scores[i] * Scale));
        }
        return words;
    }

    /// <summary>The real value of a sum of encoded words (a two's-complement 64-bit fixed-point number).</summary>
    public static double Decode(ulong sum) => unchecked((long)sum) / Scale;
}
