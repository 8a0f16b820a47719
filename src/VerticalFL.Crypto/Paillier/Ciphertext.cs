using System.Diagnostics;
using VerticalFL.Crypto.Native;

namespace VerticalFL.Crypto.Paillier;

/// <summary>
/// One Paillier ciphertext: an opaque number 0 &lt; c &lt; n² bound to its public key. Owns native memory;
/// dispose it when done (a finalizer frees it otherwise). Safe to read from several threads at once.
/// </summary>
[DebuggerDisplay("Paillier ciphertext ({Key.ModulusBits}-bit key)")]
public sealed unsafe class Ciphertext : IDisposable
{
    internal Ciphertext(PaillierPublicKey key, GmpInteger value)
    {
        Key = key;
        Value = value;
    }

    internal PaillierPublicKey Key { get; }

    internal GmpInteger Value { get; }

    /// <summary>A ciphertext with room for any value below n², for operations to fill.</summary>
    internal static Ciphertext Allocate(PaillierPublicKey key) => new(key, GmpInteger.Create(key.ResidueBits));

    internal static Ciphertext[] AllocateMany(PaillierPublicKey key, int count)
    {
        var result = new Ciphertext[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = Allocate(key);
        }

        return result;
    }

    /// <summary>Writes exactly <see cref="PaillierPublicKey.CiphertextBytes"/> bytes, fixed-width big-endian.</summary>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length != Key.CiphertextBytes)
        {
            throw new ArgumentException($"A ciphertext takes exactly {Key.CiphertextBytes} bytes; the destination has {destination.Length}.", nameof(destination));
        }

        using var pin = Value.Pin();
        GmpConvert.WriteBigEndian(pin.Pointer, destination);
    }

    /// <summary>Reads a ciphertext written by <see cref="WriteTo"/>; throws <see cref="ArgumentException"/> unless 0 &lt; c &lt; n².</summary>
    public static Ciphertext ReadFrom(PaillierPublicKey key, ReadOnlySpan<byte> source)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (source.Length != key.CiphertextBytes)
        {
            throw new ArgumentException($"A ciphertext under this {key.ModulusBits}-bit key is exactly {key.CiphertextBytes} bytes; {source.Length} were given.", nameof(source));
        }

        var result = Allocate(key);
        GmpConvert.SetBigEndian(result.Value.Pointer, source);
        if (!InRange(key, result.Value.Pointer))
        {
            result.Dispose();
            throw new ArgumentException("Not a ciphertext under this key: the value must lie strictly between 0 and n².", nameof(source));
        }

        return result;
    }

    /// <summary>Concatenates ciphertexts of one key, each <see cref="PaillierPublicKey.CiphertextBytes"/> long.</summary>
    public static byte[] Pack(IReadOnlyList<Ciphertext> ciphertexts)
    {
        ArgumentNullException.ThrowIfNull(ciphertexts);
        if (ciphertexts.Count == 0)
        {
            return [];
        }

        var key = ciphertexts[0].Key;
        var size = key.CiphertextBytes;
        var result = new byte[checked(ciphertexts.Count * size)];
        for (var i = 0; i < ciphertexts.Count; i++)
        {
            key.EnsureMatches(ciphertexts[i].Key, $"{nameof(ciphertexts)}[{i}]");
            ciphertexts[i].WriteTo(result.AsSpan(i * size, size));
        }

        return result;
    }

    /// <summary>Splits the output of <see cref="Pack"/>; on any bad element nothing is returned and the error names its index.</summary>
    public static Ciphertext[] Unpack(PaillierPublicKey key, ReadOnlySpan<byte> packed)
    {
        ArgumentNullException.ThrowIfNull(key);
        var size = key.CiphertextBytes;
        if (packed.Length % size != 0)
        {
            throw new ArgumentException($"The packed length {packed.Length} is not a multiple of the ciphertext size {size} bytes (truncated or padded input).", nameof(packed));
        }

        var result = new Ciphertext[packed.Length / size];
        for (var i = 0; i < result.Length; i++)
        {
            var slice = packed.Slice(i * size, size);
            var value = Allocate(key);
            GmpConvert.SetBigEndian(value.Value.Pointer, slice);
            if (!InRange(key, value.Value.Pointer))
            {
                value.Dispose();
                DisposeAll(result.AsSpan(0, i));
                throw new ArgumentException($"Packed ciphertext {i} is not valid under this key: the value must lie strictly between 0 and n².", nameof(packed));
            }

            result[i] = value;
        }

        return result;
    }

    public void Dispose() => Value.Dispose();

    private static bool InRange(PaillierPublicKey key, Mpz* value)
    {
        var inRange = value->Size > 0 && GmpNative.Compare(value, key.NSquared.Pointer) < 0;
        GC.KeepAlive(key);
        return inRange;
    }

    private static void DisposeAll(Span<Ciphertext> ciphertexts)
    {
        foreach (var ciphertext in ciphertexts)
        {
            ciphertext.Dispose();
        }
    }
}
