namespace VerticalFL.Ml.Training;

/// <summary>
/// Second-order Taylor expansion of the logistic loss around u = 0 (Hardy et al. 2017), with labels
/// y ∈ {−1, +1}: ℓ(u) ≈ ln 2 − ½·y·u + ⅛·u², so ∂ℓ/∂u = d = ¼·u − ½·y. Only additions and
/// multiplications by plaintext, which is what additively homomorphic encryption can evaluate.
/// </summary>
public static class TaylorLogistic
{
    /// <summary>Maps a {0, 1} label to the ±1 of the Taylor form.</summary>
    public static double Signed(double label) => label > 0.5 ? 1.0 : -1.0;

    public static double Loss(double score, double signedLabel) => Math.Log(2) - 0.5 * signedLabel * score + 0.125 * score * score;

    public static double Residual(double score, double signedLabel) => 0.25 * score - 0.5 * signedLabel;

    /// <summary>(1/B)·Xᵀd over the rows of one batch; row-major <paramref name="x"/> with <paramref name="columns"/> columns.</summary>
    public static double[] Gradient(ReadOnlySpan<double> x, int columns, IReadOnlyList<int> rows, ReadOnlySpan<double> residuals)
    {
        var gradient = new double[columns];
        for (int i = 0; i < rows.Count; i++)
        {
            var row = x.Slice(rows[i] * columns, columns);
            for (int c = 0; c < columns; c++)
                gradient[c] += row[c] * residuals[i];
        }
        for (int c = 0; c < columns; c++)
            gradient[c] /= rows.Count;
        return gradient;
    }

    /// <summary>The logistic function, for probabilities at prediction time.</summary>
    public static double Sigmoid(double score) => score >= 0 ? 1 / (1 + Math.Exp(-score)) : Math.Exp(score) / (1 + Math.Exp(score));

    /// <summary>X·w for the given rows (a party's partial score).</summary>
    public static double[] Scores(ReadOnlySpan<double> x, int columns, IReadOnlyList<int> rows, ReadOnlySpan<double> weights)
    {
        var scores = new double[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            var row = x.Slice(rows[i] * columns, columns);
            double s = 0;
            for (int c = 0; c < columns; c++)
                s += row[c] * weights[c];
            scores[i] = s;
        }
        return scores;
    }
}
