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
        if (n >= 16)
        {
            (_laneRoots, _laneRootsShoup) = LaneRoots(n, _roots, _rootsShoup);
            (_invLaneRoots, _invLaneRootsShoup) = LaneRoots(n, _invRoots, _invRootsShoup);
        }
        else _laneRoots = _laneRootsShoup = _invLaneRoots = _invLaneRootsShoup = [];
    }

    private readonly ulong[][] _laneRoots, _laneRootsShoup, _invLaneRoots, _invLaneRootsShoup;

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
    public unsafe void Forward(Span<ulong> values, NttPath path)
    {
        Check(values, path);
        var q = Modulus;
        fixed (ulong* v = values, roots = _roots, rootsShoup = _rootsShoup)
        {
            var gap = N >> 1;
            for (var m = 1; m < N; m <<= 1, gap >>= 1)
            {
                if (path == NttPath.Vector512 && gap >= 8) NttVector.ForwardLayer512(v, m, gap, roots, rootsShoup, q);
                else if (path == NttPath.Vector512 && N >= 16) SmallGap(v, gap, _laneRoots, _laneRootsShoup, inverse: false);
                else if (path == NttPath.Vector256 && gap >= 4) NttVector.ForwardLayer256(v, m, gap, roots, rootsShoup, q);
                else ForwardLayer(v, m, gap, roots, rootsShoup, q);
            }
            NttVector.ReduceFromFourQ(v, N, q, path);
        }
    }

    /// <summary>Inverse NTT in place (including the factor N⁻¹); inputs in [0, 2q), outputs in [0, q).</summary>
    public unsafe void Inverse(Span<ulong> values, NttPath path)
    {
        Check(values, path);
        var q = Modulus;
        fixed (ulong* v = values, roots = _invRoots, rootsShoup = _invRootsShoup)
        {
            var gap = 1;
            for (var m = N >> 1; m >= 1; m >>= 1, gap <<= 1)
            {
                if (path == NttPath.Vector512 && gap >= 8) NttVector.InverseLayer512(v, m, gap, roots, rootsShoup, q);
                else if (path == NttPath.Vector512 && N >= 16) SmallGap(v, gap, _invLaneRoots, _invLaneRootsShoup, inverse: true);
                else if (path == NttPath.Vector256 && gap >= 4) NttVector.InverseLayer256(v, m, gap, roots, rootsShoup, q);
                else InverseLayer(v, m, gap, roots, rootsShoup, q);
            }
            NttVector.ScaleAndReduce(v, N, _invN, _invNShoup, q, path);
        }
    }

    private void Check(Span<ulong> values, NttPath path)
    {
        if (!NttVector.IsSupported(path)) throw new PlatformNotSupportedException($"This CPU cannot run the {path} NTT.");
        if (values.Length != N) throw new ArgumentException($"NTT input has {values.Length} values, expected {N}.", nameof(values));
    }

    private unsafe void SmallGap(ulong* values, int gap, ulong[][] laneRoots, ulong[][] laneRootsShoup, bool inverse)
    {
        var index = System.Numerics.BitOperations.Log2((uint)gap);
        fixed (ulong* w = laneRoots[index], ws = laneRootsShoup[index])
            NttVector.SmallGapLayer512(values, N, gap, w, ws, Modulus, inverse);
    }

    /// <summary>
    /// Per gap 1, 2, 4 (index log2 gap): the root of each butterfly laid out as the AVX-512 small-gap layer reads
    /// it, 8 lanes per 16 values: lane L of block b belongs to group 8b/gap + L/gap of that layer.
    /// </summary>
    private static (ulong[][] Roots, ulong[][] Shoup) LaneRoots(int n, ulong[] roots, ulong[] shoup)
    {
        var laneRoots = new ulong[3][];
        var laneShoup = new ulong[3][];
        for (var index = 0; index < 3; index++)
        {
            var gap = 1 << index;
            var m = n / (2 * gap);
            laneRoots[index] = new ulong[n / 2];
            laneShoup[index] = new ulong[n / 2];
            for (var b = 0; b < n / 16; b++)
            for (var lane = 0; lane < 8; lane++)
            {
                var group = 8 * b / gap + lane / gap;
                laneRoots[index][8 * b + lane] = roots[m + group];
                laneShoup[index][8 * b + lane] = shoup[m + group];
            }
        }
        return (laneRoots, laneShoup);
    }

    /// <summary>Cooley–Tukey: (x, y) ← (x + w·y, x − w·y), lazily in [0, 4q).</summary>
    private static unsafe void ForwardLayer(ulong* values, int m, int gap, ulong* roots, ulong* rootsShoup, ulong q)
    {
        var twoQ = 2 * q;
        for (var i = 0; i < m; i++)
        {
            var w = roots[m + i];
            var ws = rootsShoup[m + i];
            var x = values + 2 * i * gap;
            var y = x + gap;
            for (var j = 0; j < gap; j++)
            {
                var u = x[j];
                if (u >= twoQ) u -= twoQ;
                var v = MulShoupLazy(y[j], w, ws, q);
                x[j] = u + v;
                y[j] = u + twoQ - v;
            }
        }
    }

    /// <summary>Gentleman–Sande: (x, y) ← (x + y, w·(x − y)), lazily in [0, 2q).</summary>
    private static unsafe void InverseLayer(ulong* values, int m, int gap, ulong* roots, ulong* rootsShoup, ulong q)
    {
        var twoQ = 2 * q;
        for (var i = 0; i < m; i++)
        {
            var w = roots[m + i];
            var ws = rootsShoup[m + i];
            var x = values + 2 * i * gap;
            var y = x + gap;
            for (var j = 0; j < gap; j++)
            {
                var u = x[j];
                var v = y[j];
                var sum = u + v;
                x[j] = sum >= twoQ ? sum - twoQ : sum;
                y[j] = MulShoupLazy(u + twoQ - v, w, ws, q);
            }
        }
    }

}
