using System.Diagnostics;
using System.Security.Cryptography;
using VerticalFL.Crypto.Native;
using VerticalFL.Crypto.Concurrency;
using VerticalFL.Crypto.Psi.Avx512;

namespace VerticalFL.Crypto.Psi;

/// <summary>
/// One party's secret ristretto255 scalar for one PSI job. Raising points to it is the "blinding"
/// of ECDH-PSI; because scalar multiplication commutes, (H(x)·a)·b equals (H(x)·b)·a.
/// The scalar lives in native memory, cannot be exported, and is zeroed on <see cref="Dispose"/>.
/// Batch methods use every core and are safe to call concurrently.
/// </summary>
[DebuggerDisplay("PsiKey (ristretto255 scalar, 32 bytes)")]
public sealed unsafe class PsiKey : IDisposable
{
    /// <summary>Bytes in an encoded ristretto255 element.</summary>
    public const int PointSize = 32;
    // A chunk of fewer ids spends more on thread hand-off and scratch set-up than on point multiplications.
    private const int MinChunk = 64;

    internal const int ScalarSize = 32;

    private readonly SodiumSecretHandle _scalar;

    private PsiKey(SodiumSecretHandle scalar, ScalarMultEngine engine)
    {
        if (engine == ScalarMultEngine.Avx512 && !Avx512Ristretto.IsSupported)
        {
            scalar.Dispose();
            throw new PlatformNotSupportedException("The avx512 scalar-mult engine needs AVX-512 (and .NET running Vector512 in hardware); use libsodium.");
        }
        _scalar = scalar;
        Engine = engine;
    }

    /// <summary>The fastest engine this CPU runs: <see cref="ScalarMultEngine.Avx512"/> where available.</summary>
    public static ScalarMultEngine FastestEngine => Avx512Ristretto.IsSupported ? ScalarMultEngine.Avx512 : ScalarMultEngine.Libsodium;

    /// <summary>Which implementation multiplies points (both give identical bytes).</summary>
    public ScalarMultEngine Engine { get; }

    /// <summary>A fresh uniformly random scalar (never zero), multiplied by <paramref name="engine"/> (default: the fastest).</summary>
    public static PsiKey Generate(ScalarMultEngine? engine = null)
    {
        var scalar = SodiumSecretHandle.Allocate(ScalarSize);
        SodiumNative.crypto_core_ristretto255_scalar_random((byte*)scalar.DangerousGetHandle());
        return new PsiKey(scalar, engine ?? FastestEngine);
    }

    /// <summary>A key with a chosen scalar (32 bytes, little-endian): known-answer tests only.</summary>
    internal static PsiKey ImportForTests(ReadOnlySpan<byte> scalar, ScalarMultEngine? engine = null)
    {
        if (scalar.Length != ScalarSize)
            throw new ArgumentException($"A ristretto255 scalar is {ScalarSize} bytes, got {scalar.Length}.", nameof(scalar));
        var handle = SodiumSecretHandle.Allocate(ScalarSize);
        scalar.CopyTo(new Span<byte>((void*)handle.DangerousGetHandle(), ScalarSize));
        return new PsiKey(handle, engine ?? FastestEngine);
    }

    /// <summary>
    /// For each id i: output[i] = HashToGroup(salt, ids[i])·scalar, where HashToGroup is
    /// <c>crypto_core_ristretto255_from_hash(SHA-512(salt ‖ UTF-8(id)))</c>.
    /// </summary>
    /// <exception cref="ArgumentException">An id is not valid UTF-16 (a lone surrogate), or <paramref name="output"/> has the wrong size.</exception>
    public void HashToGroupAndMultiply(ReadOnlyMemory<byte> salt, ReadOnlyMemory<string> ids, Memory<byte> output)
    {
        RequireOutput(ids.Length, output.Length);
        WithScalar(scalar => ParallelChunks.FirstFailure(ids.Length, (start, end) =>
        {
            var idSpan = ids.Span;
            var range = output.Span[(start * PointSize)..(end * PointSize)];
            if (Engine == ScalarMultEngine.Avx512)
            {
                Avx512Ristretto.HashToGroupAndMultiply((byte*)scalar, salt.Span, idSpan[start..end], range);
                return -1;
            }
            // The unblinded H(id) stays on the stack; only blinded points reach the output.
            Span<byte> point = stackalloc byte[PointSize];
            for (int i = start; i < end; i++)
            {
                Ristretto255.HashToGroup(salt.Span, idSpan[i], point);
                // A hashed point times a non-zero scalar is never the identity (the group has prime order).
                if (MultiplyRange(scalar, point, range.Slice((i - start) * PointSize, PointSize)) >= 0)
                    throw new CryptographicException($"Hash-to-group produced an invalid point for id {i}.");
            }
            CryptographicOperations.ZeroMemory(point);
            return -1;
        }, MinChunk));
    }

    /// <summary>output[i] = points[i]·scalar for encoded points laid end to end.</summary>
    /// <exception cref="CryptographicException">A point is not a canonical ristretto255 encoding, or is the identity.</exception>
    public void Multiply(ReadOnlyMemory<byte> points, Memory<byte> output)
    {
        if (points.Length % PointSize != 0)
            throw new ArgumentException($"Points are {PointSize} bytes each; {points.Length} bytes is not a whole number of points.", nameof(points));
        int count = points.Length / PointSize;
        RequireOutput(count, output.Length);
        int bad = WithScalar(scalar => ParallelChunks.FirstFailure(count, (start, end) =>
        {
            int first = MultiplyRange(scalar, points.Span[(start * PointSize)..(end * PointSize)], output.Span[(start * PointSize)..(end * PointSize)]);
            return first < 0 ? -1 : start + first;
        }, MinChunk));
        if (bad >= 0)
            throw new CryptographicException($"Point {bad} is not a valid ristretto255 element (bad encoding or identity).");
    }

    public void Dispose() => _scalar.Dispose();

    public override string ToString() => $"PsiKey (ristretto255 scalar, 32 bytes, {Engine} engine)";

    /// <summary>output = points·scalar for a run of points (output may be points); the index of the first bad point, or −1.</summary>
    private int MultiplyRange(nint scalar, ReadOnlySpan<byte> points, Span<byte> output)
    {
        if (Engine == ScalarMultEngine.Avx512)
            return Avx512Ristretto.Multiply((byte*)scalar, points, output);
        for (int i = 0; i < points.Length / PointSize; i++)
        {
            // libsodium 1.0.18 ignores bit 255; RFC 9496 (and the AVX-512 engine) reject such non-canonical encodings.
            if ((points[i * PointSize + PointSize - 1] & 0x80) != 0)
                return i;
            fixed (byte* p = points.Slice(i * PointSize, PointSize))
            fixed (byte* r = output.Slice(i * PointSize, PointSize))
            {
                if (SodiumNative.crypto_scalarmult_ristretto255(r, (byte*)scalar, p) != 0)
                    return i;
            }
        }
        return -1;
    }

    /// <summary>Keeps the native scalar alive (and not freed by a concurrent Dispose) while <paramref name="work"/> runs.</summary>
    private T WithScalar<T>(Func<nint, T> work)
    {
        ObjectDisposedException.ThrowIf(_scalar.IsClosed, this);
        bool added = false;
        try
        {
            _scalar.DangerousAddRef(ref added);
            return work(_scalar.DangerousGetHandle());
        }
        finally
        {
            if (added)
                _scalar.DangerousRelease();
        }
    }

    private static void RequireOutput(int count, int outputLength)
    {
        if (outputLength != count * PointSize)
            throw new ArgumentException($"Output must be {count * PointSize} bytes ({count} points), got {outputLength}.", "output");
    }
}
