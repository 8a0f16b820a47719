using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using Google.Protobuf;
using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.Ckks;
using VerticalFL.Crypto.Ckks.Serialization;
using VerticalFL.Ml.Data;

namespace VerticalFL.Protocol.Training;

/// <summary>CKKS values in and out of messages: SEAL ciphertexts back to back, coefficient-0 requests, released integers.</summary>
internal static class CkksWire
{
    public static CkksCiphertexts Pack(IReadOnlyList<Ciphertext> ciphertexts, int rows)
    {
        var parts = ciphertexts.Select(SealSerializer.Save).ToArray();
        var bytes = new byte[parts.Sum(p => p.Length)];
        int offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(bytes, offset);
            offset += part.Length;
        }
        return new CkksCiphertexts { Ciphertexts = ByteString.CopyFrom(bytes), Rows = rows };
    }

    /// <summary>Splits SEAL objects by their headers' size field (bytes 8..16) and loads each; refuses a count other than <paramref name="expected"/>.</summary>
    public static Ciphertext[] Unpack(CkksCiphertexts message, CkksParameters parameters, int expected, string source)
    {
        var bytes = message.Ciphertexts.Span;
        var result = new List<Ciphertext>();
        while (bytes.Length > 0)
        {
            if (bytes.Length < 16)
                throw new BadInputException($"{source}: a truncated SEAL ciphertext header.");
            ulong size = BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..16]);
            if (size < 16 || size > (ulong)bytes.Length)
                throw new BadInputException($"{source}: a SEAL ciphertext claims {size} bytes, {bytes.Length} remain.");
            result.Add(SealSerializer.LoadCiphertext(bytes[..(int)size], parameters, source));
            bytes = bytes[(int)size..];
        }
        if (result.Count != expected)
            throw new BadInputException($"{source}: {result.Count} ciphertexts, expected {expected}.");
        return [.. result];
    }

    /// <summary>
    /// Most bytes one release-request message may take (4 MiB, gRPC's customary message size): a party's gradient
    /// goes in chunks of <see cref="EntriesPerMessage"/> entries, so no message grows with its feature count.
    /// </summary>
    public const int MaxRequestBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Entries per release-request message: (4 MiB − 64 bytes of fields) / (c₁ bytes + 10 bytes per varint c₀ sum),
    /// 31 at N = 8192 with two data primes.
    /// </summary>
    public static int EntriesPerMessage(CkksContext context)
    {
        int primes = context.PrimeCountOf(context.FirstParmsId);
        long perEntry = (long)primes * context.N * sizeof(ulong) + primes * 10L;
        return (int)Math.Max(1, (MaxRequestBytes - 64) / perEntry);
    }

    /// <summary>One message holding all of <paramref name="requests"/> (the loss: a single entry).</summary>
    public static CkksReleaseRequest Request(IReadOnlyList<Coefficient0Request> requests, int batchRows)
    {
        var message = new CkksReleaseRequest { Entries = requests.Count, BatchRows = batchRows, First = 0, Total = requests.Count };
        int words = requests.Count == 0 ? 0 : requests[0].C1.Length;
        var c1 = new byte[requests.Count * words * 8];
        for (int e = 0; e < requests.Count; e++)
        {
            MemoryMarshal.AsBytes(requests[e].C1.AsSpan()).CopyTo(c1.AsSpan(e * words * 8));
            message.C0Sums.AddRange(requests[e].C0Sums);
        }
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("CKKS wire format is little-endian.");
        message.C1 = UnsafeByteOperations.UnsafeWrap(c1); // c1 is this message's own buffer, never written again
        return message;
    }

    /// <summary>
    /// One chunk already laid out: entries [<paramref name="first"/>, first + entries) of a request of
    /// <paramref name="total"/>; <paramref name="c1"/> entry-major, <paramref name="sums"/> primes per entry.
    /// </summary>
    public static CkksReleaseRequest Request(byte[] c1, ulong[] sums, int entries, int batchRows, int first, int total)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("CKKS wire format is little-endian.");
        var message = new CkksReleaseRequest
        {
            Entries = entries, BatchRows = batchRows, First = first, Total = total, C1 = UnsafeByteOperations.UnsafeWrap(c1),
        };
        message.C0Sums.AddRange(sums);
        return message;
    }

    /// <summary>The entries of a request at the first data level, each residue checked against its prime.</summary>
    public static Coefficient0Request[] Requests(CkksReleaseRequest message, CkksContext context, string source)
    {
        var level = context.FirstParmsId;
        int primes = context.PrimeCountOf(level);
        int words = primes * context.N;
        if (message.Entries < 0 || message.C1.Length != (long)message.Entries * words * 8 || message.C0Sums.Count != message.Entries * primes)
            throw new BadInputException($"{source}: a CKKS release request whose sizes do not match {message.Entries} entries.");
        var c1 = MemoryMarshal.Cast<byte, ulong>(message.C1.Span);
        var sums = message.C0Sums.ToArray();
        var result = new Coefficient0Request[message.Entries];
        try
        {
            for (int e = 0; e < result.Length; e++)
                result[e] = Coefficient0Request.FromWire(context, c1.Slice(e * words, words), sums.AsSpan(e * primes, primes), level);
        }
        catch (ArgumentException ex)
        {
            throw new BadInputException($"{source}: {ex.Message}", ex);
        }
        return result;
    }

    public static MaskedValues Integers(IEnumerable<BigInteger> values) => Wire.Integers(values);
}
