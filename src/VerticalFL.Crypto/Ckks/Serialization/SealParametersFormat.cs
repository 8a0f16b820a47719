namespace VerticalFL.Crypto.Ckks.Serialization;

/// <summary>
/// SEAL's <c>EncryptionParameters</c> for CKKS: header; scheme (u8, 2 = CKKS); poly_modulus_degree (u64); the count
/// of primes (u64); each prime saved as a <c>Modulus</c> object of its own (header + u64); the plain modulus, also a
/// <c>Modulus</c> (0 for CKKS).
/// </summary>
public static class SealParametersFormat
{
    private const byte CkksScheme = 2;
    private const int ModulusObjectSize = SealHeader.Size + 8;

    /// <summary>SEAL's limit on the number of primes (SEAL_COEFF_MOD_COUNT_MAX).</summary>
    private const ulong MaxPrimes = 64;

    public static int ByteCount(int primeCount) => SealHeader.Size + 1 + 8 + 8 + ModulusObjectSize * (primeCount + 1);

    public static byte[] Write(CkksParameters parameters)
    {
        var primes = parameters.CoeffModulus;
        var bytes = new byte[ByteCount(primes.Count)];
        var writer = new SealWriter(bytes);
        writer.Header(bytes.Length);
        writer.Byte(CkksScheme);
        writer.UInt64((ulong)parameters.PolyModulusDegree);
        writer.UInt64((ulong)primes.Count);
        foreach (var prime in primes) WriteModulus(ref writer, prime);
        WriteModulus(ref writer, 0); // CKKS has no plain modulus
        return bytes;
    }

    /// <summary>Reads CKKS parameters; refuses other schemes, a plain modulus, and sets outside the 128-bit bound.</summary>
    public static CkksParameters Read(ReadOnlySpan<byte> bytes, string source)
    {
        var total = SealHeader.Read(bytes, source);
        if (SealLayout.KindOf(bytes[..total]) is { } kind && kind != "EncryptionParameters")
            throw new SealFormatException($"{source}: holds a SEAL {kind}, not EncryptionParameters.");
        var reader = new SealReader(bytes[..total], source);
        reader.Take(SealHeader.Size, "header");
        var scheme = reader.ReadByte("scheme");
        if (scheme != CkksScheme)
            throw new SealFormatException($"{source}: scheme {scheme} ({SchemeName(scheme)}) in the encryption parameters; only CKKS (2) is supported.");
        var n = reader.ReadUInt64("poly_modulus_degree");
        var count = reader.ReadUInt64("coeff_modulus size");
        if (count == 0 || count > MaxPrimes)
            throw new SealFormatException($"{source}: {count} primes in the coefficient modulus; SEAL allows 1 to {MaxPrimes}.");
        var primes = new ulong[count];
        for (var i = 0; i < primes.Length; i++) primes[i] = ReadModulus(ref reader, $"prime {i}");
        var plain = ReadModulus(ref reader, "plain modulus");
        reader.EnsureEnd();
        if (plain != 0)
            throw new SealFormatException($"{source}: plain modulus {plain}; CKKS parameters have none (0).");
        if (n > 32768)
            throw new SealFormatException($"{source}: poly_modulus_degree {n} is above SEAL's limit of 32768.");
        if (bytes.Length != total)
            throw new SealFormatException($"{source}: {bytes.Length - total} unexpected bytes after the encryption parameters.");
        try
        {
            return CkksParameters.FromPrimes((int)n, primes);
        }
        catch (ArgumentException e)
        {
            throw new SealFormatException($"{source}: {e.Message}");
        }
    }

    private static void WriteModulus(ref SealWriter writer, ulong value)
    {
        writer.Header(ModulusObjectSize);
        writer.UInt64(value);
    }

    private static ulong ReadModulus(ref SealReader reader, string what)
    {
        var body = reader.ReadNestedHeader(what);
        if (body != 8)
            throw new SealFormatException($"{reader.Source}: {what} is a {body}-byte Modulus body; SEAL writes 8.");
        return reader.ReadUInt64(what);
    }

    private static string SchemeName(byte scheme) => scheme switch
    {
        0 => "none",
        1 => "BFV",
        3 => "BGV",
        _ => "unknown",
    };
}
