using System.Buffers.Binary;

namespace VerticalFL.Crypto.Ckks.Serialization;

/// <summary>
/// Says what a SEAL file holds (<c>vfl ckks inspect</c>): its header, which object its body's layout fits, and
/// that object's fields. Given parameters, it also loads the object with every check a real load makes.
/// Never prints coefficients (a secret key's would be the key).
/// </summary>
public static class SealInspector
{
    /// <summary>What could be read, and the reason the rest could not (null when the whole object is valid).</summary>
    public sealed record Inspection(IReadOnlyList<string> Lines, string? Problem);

    public static Inspection Describe(ReadOnlySpan<byte> bytes, string source, CkksParameters? parameters = null)
    {
        var header = SealHeader.Peek(bytes, source);
        var lines = new List<string>
        {
            $"file: {source} ({bytes.Length} bytes)",
            $"header: magic 0xA15E, SEAL version {header.VersionMajor}.{header.VersionMinor}, compression {CompressionName(header.Compression)}, total size {header.TotalSize}",
        };
        try
        {
            SealHeader.Read(bytes, source); // refuses what we cannot decode, with the reason
            var body = bytes[..(int)header.TotalSize];
            if (SealLayout.IsParameters(body)) DescribeParameters(body, source, lines);
            else if (SealLayout.IsPlaintext(body)) DescribePlaintext(body, source, parameters, lines);
            else if (SealLayout.IsCiphertext(body)) DescribeCiphertext(body, source, parameters, lines);
            else throw new SealFormatException($"{source}: the body fits none of EncryptionParameters, Plaintext, Ciphertext (or it is truncated).");
            if (bytes.Length != (int)header.TotalSize)
                throw new SealFormatException($"{source}: {bytes.Length - (int)header.TotalSize} unexpected bytes after the object.");
            return new Inspection(lines, null);
        }
        catch (SealFormatException e)
        {
            return new Inspection(lines, e.Message);
        }
    }

    private static void DescribeParameters(ReadOnlySpan<byte> body, string source, List<string> lines)
    {
        lines.Add("object: EncryptionParameters");
        var parameters = SealParametersFormat.Read(body, source);
        lines.Add($"scheme: CKKS, N = {parameters.PolyModulusDegree}, {parameters.CoeffModulus.Count} primes, {parameters.TotalModulusBits} bits in all (128-bit bound {CkksParameters.MaxModulusBits(parameters.PolyModulusDegree)})");
        for (var i = 0; i < parameters.CoeffModulus.Count; i++)
        {
            var prime = parameters.CoeffModulus[i];
            lines.Add($"prime {i}: 0x{prime:x} ({64 - System.Numerics.BitOperations.LeadingZeroCount(prime)} bits){(i == parameters.CoeffModulus.Count - 1 && i > 0 ? ", special prime" : "")}");
        }
        for (var count = parameters.CoeffModulus.Count; count >= 1; count--)
            lines.Add($"parms_id with {count} primes: {Hex(parameters.ParmsIdAtLevel(count))}{(count == parameters.CoeffModulus.Count ? " (key level)" : "")}");
    }

    private static void DescribePlaintext(ReadOnlySpan<byte> body, string source, CkksParameters? parameters, List<string> lines)
    {
        var parmsId = ParmsId.FromBytes(body.Slice(16, 32));
        lines.Add("object: Plaintext (a CKKS plaintext, or a secret key when at the key level)");
        lines.Add($"parms_id: {Hex(parmsId)}");
        lines.Add($"coeff_count: {U64(body, 48)}, scale: {Scale(BinaryPrimitives.ReadDoubleLittleEndian(body[56..]))}");
        if (parameters is null) return;
        var level = parameters.PrimeCountOf(parmsId) == parameters.CoeffModulus.Count && parameters.CoeffModulus.Count > 1 ? SealLevel.Key : SealLevel.Data;
        var plain = SealPolyFormat.ReadPlaintext(body, parameters, level, source);
        Array.Clear(plain.Data);
        lines.Add(level == SealLevel.Key
            ? $"valid secret key for these parameters ({plain.PrimeCount} primes, key level)"
            : $"valid plaintext for these parameters ({plain.PrimeCount} primes)");
    }

    private static void DescribeCiphertext(ReadOnlySpan<byte> body, string source, CkksParameters? parameters, List<string> lines)
    {
        var parmsId = ParmsId.FromBytes(body.Slice(16, 32));
        lines.Add("object: Ciphertext (a public key when at the key level)");
        lines.Add($"parms_id: {Hex(parmsId)}");
        lines.Add($"is_ntt_form: {body[48]}, size: {U64(body, 49)}, N: {U64(body, 57)}, primes: {U64(body, 65)}, scale: {Scale(BinaryPrimitives.ReadDoubleLittleEndian(body[73..]))}, correction_factor: {U64(body, 81)}");
        if (parameters is null) return;
        var level = parmsId == parameters.KeyParmsId && parameters.CoeffModulus.Count > 1 ? SealLevel.Key : SealLevel.Data;
        var cipher = SealPolyFormat.ReadCiphertext(body, parameters, level, source);
        lines.Add(level == SealLevel.Key
            ? $"valid public key for these parameters ({cipher.PrimeCount} primes, key level)"
            : $"valid ciphertext for these parameters ({cipher.PrimeCount} primes)");
    }

    private static ulong U64(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(b[offset..]);

    private static string Scale(double scale) => scale > 0 && double.IsFinite(scale) ? $"2^{Math.Log2(scale):0.###}" : scale.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>As SEAL prints a parms_id: its four u64 words in order, each as 16 hex digits.</summary>
    private static string Hex(ParmsId id) => $"{id.W0:x16} {id.W1:x16} {id.W2:x16} {id.W3:x16}";

    private static string CompressionName(SealCompression mode) =>
        Enum.IsDefined(mode) ? mode.ToString().ToLowerInvariant() : $"unknown ({(byte)mode})";
}
