namespace VerticalFL.Crypto.Ckks;

/// <summary>
/// A CKKS plaintext in NTT form at one level, laid out as SEAL lays it out: RNS residues prime-major, prime i's
/// coefficient j at <c>i·N + j</c>.
/// </summary>
public sealed class Plaintext
{
    /// <summary>Wraps <paramref name="data"/> (length <c>primeCount·n</c>) without copying.</summary>
    internal Plaintext(ulong[] data, int n, int coeffModulusCount, ParmsId parmsId, double scale)
    {
        if (data.Length != n * coeffModulusCount)
            throw new ArgumentException($"Plaintext data holds {data.Length} words, expected {n}·{coeffModulusCount}.", nameof(data));
        Data = data;
        PolyModulusDegree = n;
        CoeffModulusCount = coeffModulusCount;
        ParmsId = parmsId;
        Scale = scale;
    }

    /// <summary>The raw residues (serializers in this assembly read and fill it).</summary>
    internal ulong[] Data { get; }

    public int PolyModulusDegree { get; }

    public int CoeffModulusCount { get; }

    public ParmsId ParmsId { get; internal set; }

    public double Scale { get; internal set; }

    /// <summary>SEAL marks NTT-form plaintexts by a non-zero parms_id; ours are always NTT form.</summary>
    public bool IsNttForm => ParmsId != ParmsId.Zero;

    /// <summary>Residues of prime <paramref name="prime"/>.</summary>
    internal Span<ulong> Residues(int prime) => Data.AsSpan(prime * PolyModulusDegree, PolyModulusDegree);

    public ReadOnlySpan<ulong> Coefficients => Data;

    /// <summary>
    /// A copy whose residues live on the pinned object heap: for plaintexts kept for a whole job (cached feature
    /// columns), so that garbage collections never copy them from generation to generation.
    /// </summary>
    public Plaintext CopyToPinnedHeap()
    {
        var data = GC.AllocateUninitializedArray<ulong>(Data.Length, pinned: true);
        Data.CopyTo(data, 0);
        return new Plaintext(data, PolyModulusDegree, CoeffModulusCount, ParmsId, Scale);
    }

    public override string ToString() => $"Plaintext(N={PolyModulusDegree}, primes={CoeffModulusCount}, scale=2^{Math.Log2(Scale):0.##})";
}
