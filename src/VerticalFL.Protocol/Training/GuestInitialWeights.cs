using System.Security.Cryptography;

namespace VerticalFL.Protocol.Training;

/// <summary>
/// The guest's initial weights and intercept, drawn from the operating system's CSPRNG and never from the
/// job's public seed. With weights a host can compute (zeros, or seeded), the first residuals are
/// u_h − 2y with only the labels unknown, and the host's exact gradient gives them away to a subset-sum
/// search; a secret random start adds an unknown real vector X_g·w + b to every residual, so no ±1 vector
/// satisfies the host's equations exactly (docs/security.md, "Guest initial weights").
/// </summary>
internal static class GuestInitialWeights
{
    /// <summary>
    /// Standard deviation of the initial score X_g·w (standardised features) and of the intercept. Any secret
    /// real offset breaks the exact ±1 search; at this size each of a host's k equations still leaves it about
    /// 2^5 candidate label vectors per label it could pin (docs/security.md), and FATE's breast and
    /// default_credit settings, which stop long before convergence and are sensitive to the start, end within
    /// 0.002 AUC of a zero start (plaintext sweep of 30 draws; larger starts sometimes land elsewhere).
    /// </summary>
    public const double ScoreScale = 0.05;

    /// <param name="features">Feature weights; the intercept follows them when <paramref name="intercept"/>.</param>
    public static double[] Draw(int features, bool intercept)
    {
        var weights = new double[features + (intercept ? 1 : 0)];
        double perFeature = ScoreScale / Math.Sqrt(Math.Max(1, features));
        for (int j = 0; j < features; j++)
            weights[j] = perFeature * Gaussian();
        if (intercept)
            weights[^1] = ScoreScale * Gaussian();
        return weights;
    }

    /// <summary>A standard normal by Box–Muller from two CSPRNG uniforms in (0, 1].</summary>
    private static double Gaussian()
    {
        double u1 = Uniform(), u2 = Uniform();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static double Uniform()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return ((BitConverter.ToUInt64(bytes) >> 11) + 1) * (1.0 / (1UL << 53));
    }
}
