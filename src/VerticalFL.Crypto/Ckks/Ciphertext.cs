namespace VerticalFL.Crypto.Ckks;

/// <summary>
/// A size-2 CKKS ciphertext (c0, c1), laid out exactly as SEAL's: polynomial-major, then prime, then coefficient
/// (polynomial k, prime i, coefficient j at <c>(k·primeCount + i)·N + j</c>).
/// </summary>
public sealed class Ciphertext
{
    public const int Size = 2;

    internal Ciphertext(ulong[] data, int n, int coeffModulusCount, ParmsId parmsId, bool isNttForm, double scale)
    {
        if (data.Length != Size * n * coeffModulusCount)
            throw new ArgumentException($"Ciphertext data holds {data.Length} words, expected 2·{n}·{coeffModulusCount}.", nameof(data));
        Data = data;
        PolyModulusDegree = n;
        CoeffModulusCount = coeffModulusCount;
        ParmsId = parmsId;
        IsNttForm = isNttForm;
        Scale = scale;
    }

    internal Ciphertext(int n, int coeffModulusCount, ParmsId parmsId, bool isNttForm, double scale)
        : this(new ulong[Size * n * coeffModulusCount], n, coeffModulusCount, parmsId, isNttForm, scale)
    {
    }

    /// <summary>The raw residues (serializers in this assembly read and fill it).</summary>
    internal ulong[] Data { get; }

    public int PolyModulusDegree { get; }

    public int CoeffModulusCount { get; }

    public ParmsId ParmsId { get; internal set; }

    public bool IsNttForm { get; internal set; }

    public double Scale { get; internal set; }

    /// <summary>SEAL's correction factor (BGV only; always 1 for CKKS, but it is part of the format).</summary>
    public ulong CorrectionFactor { get; internal set; } = 1;

    public ReadOnlySpan<ulong> Coefficients => Data;

    /// <summary>Residues of polynomial <paramref name="poly"/> for prime <paramref name="prime"/>.</summary>
    internal Span<ulong> Residues(int poly, int prime) =>
        Data.AsSpan((poly * CoeffModulusCount + prime) * PolyModulusDegree, PolyModulusDegree);

    public Ciphertext Clone() =>
        new((ulong[])Data.Clone(), PolyModulusDegree, CoeffModulusCount, ParmsId, IsNttForm, Scale) { CorrectionFactor = CorrectionFactor };

    public override string ToString() => $"Ciphertext(N={PolyModulusDegree}, primes={CoeffModulusCount}, scale=2^{Math.Log2(Scale):0.##})";
}
