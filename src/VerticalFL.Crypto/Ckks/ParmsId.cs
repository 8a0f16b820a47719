using System.Buffers.Binary;
using VerticalFL.Crypto.Native;

namespace VerticalFL.Crypto.Ckks;

/// <summary>
/// SEAL's <c>parms_id</c>: BLAKE2b-256 over the little-endian u64 words [scheme = 2 (CKKS), N, primes…, plain
/// modulus 0] (SEAL's <c>EncryptionParameters::compute_parms_id</c>), held as four u64 words in SEAL's order.
/// </summary>
public readonly record struct ParmsId(ulong W0, ulong W1, ulong W2, ulong W3)
{
    /// <summary>SEAL's scheme_type::ckks.</summary>
    internal const ulong CkksScheme = 2;

    public static ParmsId Zero => default;

    /// <summary>The parms_id of CKKS parameters with degree <paramref name="n"/> and these primes.</summary>
    public static unsafe ParmsId Compute(int n, ReadOnlySpan<ulong> primes)
    {
        var words = new ulong[primes.Length + 3];
        words[0] = CkksScheme;
        words[1] = (ulong)n;
        primes.CopyTo(words.AsSpan(2));
        // words[^1] stays 0: CKKS has no plain modulus, and SEAL hashes its single zero word anyway.
        var input = new byte[words.Length * 8];
        for (var i = 0; i < words.Length; i++) BinaryPrimitives.WriteUInt64LittleEndian(input.AsSpan(i * 8), words[i]);
        Span<byte> hash = stackalloc byte[32];
        fixed (byte* output = hash)
        fixed (byte* data = input)
        {
            if (SodiumNative.crypto_generichash(output, 32, data, (ulong)input.Length, null, 0) != 0)
                throw new InvalidOperationException("libsodium crypto_generichash failed.");
        }
        return FromBytes(hash);
    }

    /// <summary>Reads 32 bytes as four little-endian u64 words (SEAL's in-memory and on-disk order).</summary>
    public static ParmsId FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 32) throw new ArgumentException($"A parms_id is 32 bytes; got {bytes.Length}.", nameof(bytes));
        return new ParmsId(
            BinaryPrimitives.ReadUInt64LittleEndian(bytes),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]));
    }

    public void WriteBytes(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, W0);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], W1);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], W2);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[24..], W3);
    }

    /// <summary>The 32 bytes in hex, in storage order.</summary>
    public override string ToString() => $"{W0:x16}{W1:x16}{W2:x16}{W3:x16}";
}
