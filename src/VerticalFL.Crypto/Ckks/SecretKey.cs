using System.Diagnostics;

namespace VerticalFL.Crypto.Ckks;

/// <summary>
/// A ternary secret key in NTT form at the key level (all primes, prime-major like SEAL's). Zeroed on dispose;
/// never printed.
/// </summary>
[DebuggerDisplay("CKKS secret key (N = {PolyModulusDegree}, {CoeffModulusCount} primes)")]
public sealed class SecretKey : IDisposable
{
    private readonly ulong[] _data;
    private bool _disposed;

    internal SecretKey(ulong[] data, int n, int coeffModulusCount, ParmsId parmsId)
    {
        if (data.Length != n * coeffModulusCount)
            throw new ArgumentException($"Secret key data holds {data.Length} words, expected {n}·{coeffModulusCount}.", nameof(data));
        _data = data;
        PolyModulusDegree = n;
        CoeffModulusCount = coeffModulusCount;
        ParmsId = parmsId;
    }

    public int PolyModulusDegree { get; }

    public int CoeffModulusCount { get; }

    public ParmsId ParmsId { get; }

    /// <summary>The raw NTT-form residues; throws once disposed.</summary>
    internal ulong[] Data
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _data;
        }
    }

    internal ReadOnlySpan<ulong> Residues(int prime) => Data.AsSpan(prime * PolyModulusDegree, PolyModulusDegree);

    public void Dispose()
    {
        if (_disposed) return;
        Array.Clear(_data);
        _disposed = true;
    }

    public override string ToString() => $"CKKS secret key (N = {PolyModulusDegree}, {CoeffModulusCount} primes)";
}
