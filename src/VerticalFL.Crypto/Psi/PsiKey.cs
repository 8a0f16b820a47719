using System.Diagnostics;
using System.Security.Cryptography;
using VerticalFL.Crypto.Native;

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

    internal const int ScalarSize = 32;

    private readonly SodiumSecretHandle _scalar;

    private PsiKey(SodiumSecretHandle scalar) => _scalar = scalar;

    /// <summary>A fresh uniformly random scalar (never zero).</summary>
    public static PsiKey Generate()
    {
        var scalar = SodiumSecretHandle.Allocate(ScalarSize);
        SodiumNative.crypto_core_ristretto255_scalar_random((byte*)scalar.DangerousGetHandle());
        return new PsiKey(scalar);
    }

    /// <summary>A key with a chosen scalar (32 bytes, little-endian): known-answer tests only.</summary>
    internal static PsiKey ImportForTests(ReadOnlySpan<byte> scalar)
    {
        if (scalar.Length != ScalarSize)
            throw new ArgumentException($"A ristretto255 scalar is {ScalarSize} bytes, got {scalar.Length}.", nameof(scalar));
        var handle = SodiumSecretHandle.Allocate(ScalarSize);
        scalar.CopyTo(new Span<byte>((void*)handle.DangerousGetHandle(), ScalarSize));
        return new PsiKey(handle);
    }

    /// <summary>
    /// For each id i: output[i] = HashToGroup(salt, ids[i])·scalar, where HashToGroup is
    /// <c>crypto_core_ristretto255_from_hash(SHA-512(salt ‖ UTF-8(id)))</c>.
    /// </summary>
    /// <exception cref="ArgumentException">An id is not valid UTF-16 (a lone surrogate), or <paramref name="output"/> has the wrong size.</exception>
    public void HashToGroupAndMultiply(ReadOnlyMemory<byte> salt, ReadOnlyMemory<string> ids, Memory<byte> output)
    {
        RequireOutput(ids.Length, output.Length);
        WithScalar(scalar => ParallelChunks.For(ids.Length, (start, end) =>
        {
            var idSpan = ids.Span;
            var outSpan = output.Span;
            Span<byte> point = stackalloc byte[PointSize];
            for (int i = start; i < end; i++)
            {
                Ristretto255.HashToGroup(salt.Span, idSpan[i], point);
                // A hashed point times a non-zero scalar is never the identity (the group has prime order).
                MultiplyOne(scalar, point, outSpan.Slice(i * PointSize, PointSize));
            }
            return -1;
        }));
    }

    /// <summary>output[i] = points[i]·scalar for encoded points laid end to end.</summary>
    /// <exception cref="CryptographicException">A point is not a canonical ristretto255 encoding, or is the identity.</exception>
    public void Multiply(ReadOnlyMemory<byte> points, Memory<byte> output)
    {
        if (points.Length % PointSize != 0)
            throw new ArgumentException($"Points are {PointSize} bytes each; {points.Length} bytes is not a whole number of points.", nameof(points));
        int count = points.Length / PointSize;
        RequireOutput(count, output.Length);
        int bad = WithScalar(scalar => ParallelChunks.For(count, (start, end) =>
        {
            var inSpan = points.Span;
            var outSpan = output.Span;
            for (int i = start; i < end; i++)
            {
                if (!MultiplyOne(scalar, inSpan.Slice(i * PointSize, PointSize), outSpan.Slice(i * PointSize, PointSize)))
                    return i;
            }
            return -1;
        }));
        if (bad >= 0)
            throw new CryptographicException($"Point {bad} is not a valid ristretto255 element (bad encoding or identity).");
    }

    public void Dispose() => _scalar.Dispose();

    public override string ToString() => "PsiKey (ristretto255 scalar, 32 bytes)";

    private static bool MultiplyOne(nint scalar, ReadOnlySpan<byte> point, Span<byte> result)
    {
        fixed (byte* p = point)
        fixed (byte* r = result)
            return SodiumNative.crypto_scalarmult_ristretto255(r, (byte*)scalar, p) == 0;
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
