namespace VerticalFL.Crypto.Ckks;

/// <summary>
/// cos and sin on [0, π/4] in plain double arithmetic, so that the encoder's roots of unity do not depend on the
/// platform's libm: SEAL takes them from whatever libm it is built with, and glibc, musl and V8 disagree in the
/// last bit for a few percent of the angles. We follow the libm of node-seal (SEAL 4.1 compiled by Emscripten,
/// whose libc is musl): Sun's fdlibm kernel polynomials (minimax coefficients S1..S6, C1..C6 of k_sin.c and
/// k_cos.c) in the evaluation order of musl's __sin.c and __cos.c. Checked against node-seal's encoder output
/// in EncoderSealTests; native SEAL on glibc can differ by ±1 in a coefficient when scales reach 2^50.
/// </summary>
internal static class RootTrig
{
    private const double S1 = -1.66666666666666324348e-01, S2 = 8.33333333332248946124e-03, S3 = -1.98412698298579493134e-04,
        S4 = 2.75573137070700676789e-06, S5 = -2.50507602534068634195e-08, S6 = 1.58969099521155010221e-10;

    private const double C1 = 4.16666666666666019037e-02, C2 = -1.38888888888741095749e-03, C3 = 2.48015872894767294178e-05,
        C4 = -2.75573143513906633035e-07, C5 = 2.08757232129817482790e-09, C6 = -1.13596475577881948265e-11;

    /// <summary>Below this, sin x rounds to x and cos x to 1 (only x = 0 occurs for our angles).</summary>
    private const double Tiny = 1.0 / (1 << 27);

    /// <summary>sin x for 0 ≤ x ≤ π/4.</summary>
    public static double Sin(double x)
    {
        if (Math.Abs(x) < Tiny) return x;
        var z = x * x;
        var w = z * z;
        var r = S2 + z * (S3 + z * S4) + z * w * (S5 + z * S6);
        var v = z * x;
        return x + v * (S1 + z * r);
    }

    /// <summary>cos x for 0 ≤ x ≤ π/4: 1 − z/2 + z·r with the rounding error of 1 − z/2 carried separately.</summary>
    public static double Cos(double x)
    {
        if (Math.Abs(x) < Tiny) return 1.0;
        var z = x * x;
        var w = z * z;
        var r = z * (C1 + z * (C2 + z * C3)) + w * w * (C4 + z * (C5 + z * C6));
        var halfZ = 0.5 * z;
        var head = 1.0 - halfZ;
        return head + (((1.0 - head) - halfZ) + z * r);
    }
}
