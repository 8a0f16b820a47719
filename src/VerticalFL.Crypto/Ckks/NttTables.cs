using System.Runtime.CompilerServices;

namespace VerticalFL.Crypto.Ckks;

/// <summary>
/// Negacyclic NTT modulo one prime q &lt; 2^62 with SEAL's root (the minimal primitive 2N-th root ψ) and SEAL's
/// order: the forward transform leaves evaluation at ψ^(2·rev(k)+1) in slot k (rev = bit reversal). Harvey's lazy
/// butterflies keep values in [0, 4q) with Shoup-precomputed twiddles; outputs are fully reduced. The vector
/// path (Vector512 or Vector256) computes exactly the same residues as the scalar path.
/// </summary>
internal sealed class NttTables
{
    private readonly ulong[] _roots;        // ψ^rev(i), i = 0..N−1
    private readonly ulong[] _rootsShoup;   // ⌊root·2^64 / q⌋
    private readonly ulong[] _invRoots;     // ψ^−rev(i)
    private readonly ulong[] _invRootsShoup;
    private readonly ulong _invN, _invNShoup;
    private readonly int _logN;

    public NttTables(int n, ulong q)
    {
        if (q >> 62 != 0) throw new ArgumentException("NTT primes must be below 2^62.", nameof(q));
        N = n;
        Modulus = q;
        _logN = System.Numerics.BitOperations.Log2((uint)n);
        Root = PrimeMath.MinimalPrimitiveRoot(2UL * (ulong)n, q);
        var inverseRoot = PrimeMath.InvMod(Root, q);
        _roots = new ulong[n];
        _invRoots = new ulong[n];
        ulong power = 1, inversePower = 1;
        for (var i = 0; i < n; i++)
        {
            var slot = PrimeMath.BitReverse(i, _logN);
            _roots[slot] = power;
            _invRoots[slot] = inversePower;
            power = PrimeMath.MulMod(power, Root, q);
            inversePower = PrimeMath.MulMod(inversePower, inverseRoot, q);
        }
        _rootsShoup = _roots.Select(w => Shoup(w, q)).ToArray();
        _invRootsShoup = _invRoots.Select(w => Shoup(w, q)).ToArray();
        _invN = PrimeMath.InvMod((ulong)n, q);
        _invNShoup = Shoup(_invN, q);
    }

    public int N { get; }

    public ulong Modulus { get; }

    public ulong Root { get; }

    /// <summary>N⁻¹ mod q.</summary>
    public ulong InverseN => _invN;

    /// <summary>Which implementation <see cref="Forward"/> and <see cref="Inverse"/> use on this CPU.</summary>
    public static string VectorPath => NttVector.Best switch { NttPath.Vector512 => "avx512", NttPath.Vector256 => "avx2", _ => "scalar" };

    /// <summary>⌊w·2^64 / q⌋, Shoup's precomputed quotient for multiplying by w.</summary>
    public static ulong Shoup(ulong w, ulong q) => (ulong)(((UInt128)w << 64) / q);

    /// <summary>x·w mod q, lazily in [0, 2q), for any x &lt; 2^64 (q &lt; 2^62).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MulShoupLazy(ulong x, ulong w, ulong wShoup, ulong q) => x * w - Math.BigMul(x, wShoup, out _) * q;

    public void Forward(Span<ulong> values) => Forward(values, NttVector.Best);

    public void Inverse(Span<ulong> values) => Inverse(values, NttVector.Best);

    /// <summary>Forward NTT in place; inputs in [0, 4q) (residues), outputs in [0, q).</summary>
    public void Forward(Span<ulong> values, NttPath path)
    {
        if (!NttVector.IsSupported(path)) throw new PlatformNotSupportedException($"This CPU cannot run the {path} NTT.");
        if (values.Length != N) throw new ArgumentException($"NTT input has {values.Length} values, expected {N}.", nameof(values));
        var q = Modulus;
        var twoQ = 2 * q;
        var gap = N >> 1;
        for (var m = 1; m < N; m <<= 1, gap >>= 1)
        {
            for (var i = 0; i < m; i++)
            {
                var x = values.Slice(2 * i * gap, gap);
                var y = values.Slice(2 * i * gap + gap, gap);
                if (NttVector.ForwardButterflies(x, y, _roots[m + i], _rootsShoup[m + i], q, path)) continue;
                ForwardButterflies(x, y, _roots[m + i], _rootsShoup[m + i], q, twoQ);
            }
        }
        ReduceFully(values, q, path);
    }

    /// <summary>Inverse NTT in place (including the factor N⁻¹); inputs in [0, 2q), outputs in [0, q).</summary>
    public void Inverse(Span<ulong> values, NttPath path)
    {
        if (!NttVector.IsSupported(path)) throw new PlatformNotSupportedException($"This CPU cannot run the {path} NTT.");
        if (values.Length != N) throw new ArgumentException($"NTT input has {values.Length} values, expected {N}.", nameof(values));
        var q = Modulus;
        var twoQ = 2 * q;
        var gap = 1;
        for (var m = N >> 1; m >= 1; m >>= 1, gap <<= 1)
        {
            for (var i = 0; i < m; i++)
            {
                var x = values.Slice(2 * i * gap, gap);
                var y = values.Slice(2 * i * gap + gap, gap);
                if (NttVector.InverseButterflies(x, y, _invRoots[m + i], _invRootsShoup[m + i], q, path)) continue;
                InverseButterflies(x, y, _invRoots[m + i], _invRootsShoup[m + i], q, twoQ);
            }
        }
        if (!NttVector.ScaleAndReduce(values, _invN, _invNShoup, q, path))
            for (var j = 0; j < values.Length; j++) values[j] = ReduceOnce(MulShoupLazy(values[j], _invN, _invNShoup, q), q);
    }

    /// <summary>Cooley–Tukey: (x, y) ← (x + w·y, x − w·y), lazily in [0, 4q).</summary>
    private static void ForwardButterflies(Span<ulong> x, Span<ulong> y, ulong w, ulong wShoup, ulong q, ulong twoQ)
    {
        for (var j = 0; j < x.Length; j++)
        {
            var u = x[j];
            if (u >= twoQ) u -= twoQ;
            var v = MulShoupLazy(y[j], w, wShoup, q);
            x[j] = u + v;
            y[j] = u + twoQ - v;
        }
    }

    /// <summary>Gentleman–Sande: (x, y) ← (x + y, w·(x − y)), lazily in [0, 2q).</summary>
    private static void InverseButterflies(Span<ulong> x, Span<ulong> y, ulong w, ulong wShoup, ulong q, ulong twoQ)
    {
        for (var j = 0; j < x.Length; j++)
        {
            var u = x[j];
            var v = y[j];
            var sum = u + v;
            x[j] = sum >= twoQ ? sum - twoQ : sum;
            y[j] = MulShoupLazy(u + twoQ - v, w, wShoup, q);
        }
    }

    private static void ReduceFully(Span<ulong> values, ulong q, NttPath path)
    {
        if (NttVector.ReduceFromFourQ(values, q, path)) return;
        var twoQ = 2 * q;
        for (var j = 0; j < values.Length; j++)
        {
            var v = values[j];
            if (v >= twoQ) v -= twoQ;
            values[j] = v >= q ? v - q : v;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReduceOnce(ulong v, ulong q) => v >= q ? v - q : v;
}
