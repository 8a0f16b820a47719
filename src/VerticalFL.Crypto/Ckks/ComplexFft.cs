namespace VerticalFL.Crypto.Ckks;

/// <summary>
/// The complex "DWT" of SEAL's CKKS encoder (util/dwthandler.h, util/croots.cpp in Microsoft SEAL 4.x), followed
/// operation by operation so that the doubles round as SEAL's do and encoded plaintexts match SEAL's bytes:
/// roots are the 2N-th roots of unity built from N/4 + 1 values of polar(1, 2πi/2N) and the 8-fold symmetry; the
/// inverse transform (encode) takes the scaling in its last layer, the forward one (decode) takes none.
/// Complex products are (ac − bd, ad + bc) with each product rounded, as C++'s std::complex computes them.
/// </summary>
internal sealed class ComplexFft
{
    private readonly int _logN;
    private readonly double[] _rootRe, _rootIm;       // slot i: root of index rev(i) (forward, i ≥ 1)
    private readonly double[] _invRootRe, _invRootIm; // slot i: conj(root of index rev(i − 1) + 1) (inverse)

    public ComplexFft(int n)
    {
        N = n;
        _logN = System.Numerics.BitOperations.Log2((uint)n);
        var m = 2 * n;
        var (baseRe, baseIm) = BaseRoots(m);
        _rootRe = new double[n];
        _rootIm = new double[n];
        _invRootRe = new double[n];
        _invRootIm = new double[n];
        for (var i = 1; i < n; i++)
        {
            (_rootRe[i], _rootIm[i]) = Root(baseRe, baseIm, m, PrimeMath.BitReverse(i, _logN));
            var (re, im) = Root(baseRe, baseIm, m, PrimeMath.BitReverse(i - 1, _logN) + 1);
            (_invRootRe[i], _invRootIm[i]) = (re, -im);
        }
    }

    public int N { get; }

    /// <summary>e^(2πi·k/m) for k = 0..m/8, each from cos and sin of the same double angle.</summary>
    private static (double[] Re, double[] Im) BaseRoots(int m)
    {
        var re = new double[m / 8 + 1];
        var im = new double[m / 8 + 1];
        for (var k = 0; k <= m / 8; k++)
        {
            var angle = 2 * Math.PI * k / m;
            re[k] = Math.Cos(angle);
            im[k] = Math.Sin(angle);
        }
        return (re, im);
    }

    /// <summary>The k-th power of e^(2πi/m) through the 8-fold symmetry of the roots of unity.</summary>
    private static (double Re, double Im) Root(double[] baseRe, double[] baseIm, int m, int k)
    {
        k &= m - 1;
        if (k <= m / 8) return (baseRe[k], baseIm[k]);
        if (k <= m / 4) return (baseIm[m / 4 - k], baseRe[m / 4 - k]);
        if (k <= m / 2)
        {
            var (re, im) = Root(baseRe, baseIm, m, m / 2 - k);
            return (-re, im);
        }
        if (k <= 3 * m / 4)
        {
            var (re, im) = Root(baseRe, baseIm, m, k - m / 2);
            return (-re, -im);
        }
        var (r, i) = Root(baseRe, baseIm, m, m - k);
        return (r, -i);
    }

    /// <summary>
    /// Encoding direction (SEAL's transform_from_rev with inverse roots): bit-reversed input, natural output,
    /// every output multiplied by <paramref name="scalar"/>.
    /// </summary>
    public void FromRev(double[] re, double[] im, double scalar)
    {
        var n = N;
        var rootIndex = 1;
        for (var logM = _logN - 1; logM > 0; logM--)
        {
            var m = 1 << logM;
            var gap = 1 << (_logN - logM - 1);
            for (var i = 0; i < m; i++)
            {
                var rRe = _invRootRe[rootIndex];
                var rIm = _invRootIm[rootIndex++];
                var offset = i << (_logN - logM);
                for (var j = offset; j < offset + gap; j++)
                {
                    double uRe = re[j], uIm = im[j], vRe = re[j + gap], vIm = im[j + gap];
                    re[j] = uRe + vRe;
                    im[j] = uIm + vIm;
                    double dRe = uRe - vRe, dIm = uIm - vIm;
                    re[j + gap] = dRe * rRe - dIm * rIm;
                    im[j + gap] = dRe * rIm + dIm * rRe;
                }
            }
        }
        // Last layer: the scalar is folded into the root and applied to the sum.
        var sRe = _invRootRe[rootIndex] * scalar;
        var sIm = _invRootIm[rootIndex] * scalar;
        var half = n >> 1;
        for (var j = 0; j < half; j++)
        {
            double uRe = re[j], uIm = im[j], vRe = re[j + half], vIm = im[j + half];
            re[j] = (uRe + vRe) * scalar;
            im[j] = (uIm + vIm) * scalar;
            double dRe = uRe - vRe, dIm = uIm - vIm;
            re[j + half] = dRe * sRe - dIm * sIm;
            im[j + half] = dRe * sIm + dIm * sRe;
        }
    }

    /// <summary>Decoding direction (SEAL's transform_to_rev with the roots): natural input, bit-reversed output.</summary>
    public void ToRev(double[] re, double[] im)
    {
        var rootIndex = 1;
        for (var logM = 0; logM < _logN; logM++)
        {
            var m = 1 << logM;
            var gap = 1 << (_logN - logM - 1);
            for (var i = 0; i < m; i++)
            {
                var rRe = _rootRe[rootIndex];
                var rIm = _rootIm[rootIndex++];
                var offset = i << (_logN - logM);
                for (var j = offset; j < offset + gap; j++)
                {
                    double uRe = re[j], uIm = im[j], xRe = re[j + gap], xIm = im[j + gap];
                    var vRe = xRe * rRe - xIm * rIm;
                    var vIm = xRe * rIm + xIm * rRe;
                    re[j] = uRe + vRe;
                    im[j] = uIm + vIm;
                    re[j + gap] = uRe - vRe;
                    im[j + gap] = uIm - vIm;
                }
            }
        }
    }
}
