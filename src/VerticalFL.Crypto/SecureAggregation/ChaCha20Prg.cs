using System.Numerics;
using System.Runtime.InteropServices;
using VerticalFL.Crypto.Native;

namespace VerticalFL.Crypto.SecureAggregation;

/// <summary>
/// The mask generator of secure aggregation: the ChaCha20 keystream (RFC 8439; libsodium's IETF variant, 96-bit
/// nonce, block counter from 0) keyed by a full 32-byte seed, read as little-endian 64-bit words. The words are
/// uniform on Z_2^64 to anyone without the seed. One (seed, nonce) pair must mask one vector only.
/// </summary>
public static unsafe class ChaCha20Prg
{
    public const int SeedSize = 32, NonceSize = 12;

    /// <summary>Fills <paramref name="output"/> with the keystream of (seed, nonce).</summary>
    public static void Keystream(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> nonce, Span<byte> output)
    {
        Check(seed, nonce);
        if (output.IsEmpty)
            return;
        fixed (byte* c = output)
        fixed (byte* n = nonce)
        fixed (byte* k = seed)
            SodiumNative.crypto_stream_chacha20_ietf(c, (ulong)output.Length, n, k);
    }

    /// <summary>data XOR keystream, starting at block <paramref name="counter"/> (the RFC 8439 §2.4 encryption; known-answer tests).</summary>
    public static void Xor(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> nonce, uint counter, ReadOnlySpan<byte> data, Span<byte> output)
    {
        Check(seed, nonce);
        if (output.Length != data.Length)
            throw new ArgumentException($"output has {output.Length} bytes for {data.Length} of data.", nameof(output));
        fixed (byte* c = output)
        fixed (byte* m = data)
        fixed (byte* n = nonce)
        fixed (byte* k = seed)
            SodiumNative.crypto_stream_chacha20_ietf_xor_ic(c, m, (ulong)data.Length, n, counter, k);
    }

    /// <summary>values[i] ± word[i] (mod 2^64) for the keystream words of (seed, nonce); <paramref name="scratch"/> ≥ values.Length words.</summary>
    public static void AddTo(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> nonce, Span<ulong> values, bool subtract, Span<ulong> scratch)
    {
        if (scratch.Length < values.Length)
            throw new ArgumentException($"scratch has {scratch.Length} words for {values.Length} values.", nameof(scratch));
        var words = scratch[..values.Length];
        Keystream(seed, nonce, MemoryMarshal.AsBytes(words));
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("The mask words are little-endian; this platform is not.");
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vs = MemoryMarshal.Cast<ulong, Vector<ulong>>(values);
            var ws = MemoryMarshal.Cast<ulong, Vector<ulong>>(words);
            for (int v = 0; v < vs.Length; v++)
                vs[v] = subtract ? vs[v] - ws[v] : vs[v] + ws[v];
            i = vs.Length * Vector<ulong>.Count;
        }
        for (; i < values.Length; i++)
            values[i] = subtract ? values[i] - words[i] : values[i] + words[i];
    }

    private static void Check(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> nonce)
    {
        if (seed.Length != SeedSize)
            throw new ArgumentException($"A ChaCha20 seed is {SeedSize} bytes (never truncated), got {seed.Length}.", nameof(seed));
        if (nonce.Length != NonceSize)
            throw new ArgumentException($"A ChaCha20 IETF nonce is {NonceSize} bytes, got {nonce.Length}.", nameof(nonce));
    }
}
