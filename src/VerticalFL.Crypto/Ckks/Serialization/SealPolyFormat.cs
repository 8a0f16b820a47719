namespace VerticalFL.Crypto.Ckks.Serialization;

/// <summary>Which levels an object may sit at: data levels (ciphertexts, plaintexts) or the key level (keys).</summary>
public enum SealLevel
{
    Data,
    Key,
}

/// <summary>A SEAL ciphertext's fields; <see cref="Data"/> holds polynomial j, prime i, coefficient k at (j·L + i)·N + k.</summary>
public sealed record SealCiphertextBody(ParmsId ParmsId, int Size, int N, int PrimeCount, double Scale, ulong[] Data);

/// <summary>A SEAL NTT-form plaintext's fields; <see cref="Data"/> holds prime i, coefficient k at i·N + k.</summary>
public sealed record SealPlaintextBody(ParmsId ParmsId, int N, int PrimeCount, double Scale, ulong[] Data);

/// <summary>
/// SEAL 4.x's layouts of <c>Ciphertext</c> (also the body of <c>PublicKey</c>) and <c>Plaintext</c> (also the body
/// of <c>SecretKey</c>), uncompressed. Ciphertext: header; parms_id (4 × u64); is_ntt_form (u8); size, N, L (u64
/// each); scale (f64); correction_factor (u64, 1 for CKKS); the coefficients as an array object (header, u64 count,
/// u64 words). Plaintext: header; parms_id; coeff_count (u64); scale (f64); the array object.
/// </summary>
public static class SealPolyFormat
{
    private const int ArrayPrefix = SealHeader.Size + 8;
    private const int CiphertextFields = 32 + 1 + 8 + 8 + 8 + 8 + 8;
    private const int PlaintextFields = 32 + 8 + 8;

    /// <summary>SEAL's bounds on a ciphertext's polynomial count (SEAL_CIPHERTEXT_SIZE_MIN/MAX).</summary>
    private const ulong MinSize = 2, MaxSize = 16;

    public static int CiphertextByteCount(int size, int n, int primeCount) =>
        SealHeader.Size + CiphertextFields + ArrayPrefix + 8 * size * n * primeCount;

    public static int PlaintextByteCount(int n, int primeCount) => SealHeader.Size + PlaintextFields + ArrayPrefix + 8 * n * primeCount;

    public static byte[] WriteCiphertext(ParmsId parmsId, int size, int n, int primeCount, double scale, ReadOnlySpan<ulong> data)
    {
        if (data.Length != size * n * primeCount)
            throw new ArgumentException($"A ciphertext of {size} polynomials, N = {n}, {primeCount} primes has {size * n * primeCount} words; got {data.Length}.", nameof(data));
        var bytes = new byte[CiphertextByteCount(size, n, primeCount)];
        var writer = new SealWriter(bytes);
        writer.Header(bytes.Length);
        writer.ParmsId(parmsId);
        writer.Byte(1); // CKKS ciphertexts are always in NTT form
        writer.UInt64((ulong)size);
        writer.UInt64((ulong)n);
        writer.UInt64((ulong)primeCount);
        writer.Double(scale);
        writer.UInt64(1); // correction_factor: BGV's; CKKS leaves it 1
        WriteArray(ref writer, data);
        return bytes;
    }

    public static byte[] WritePlaintext(ParmsId parmsId, int n, int primeCount, double scale, ReadOnlySpan<ulong> data)
    {
        if (data.Length != n * primeCount)
            throw new ArgumentException($"A plaintext with N = {n}, {primeCount} primes has {n * primeCount} words; got {data.Length}.", nameof(data));
        var bytes = new byte[PlaintextByteCount(n, primeCount)];
        var writer = new SealWriter(bytes);
        writer.Header(bytes.Length);
        writer.ParmsId(parmsId);
        writer.UInt64((ulong)data.Length);
        writer.Double(scale);
        WriteArray(ref writer, data);
        return bytes;
    }

    /// <summary>Reads a ciphertext and checks it against <paramref name="parameters"/>: level, sizes, scale, every coefficient below its prime.</summary>
    public static SealCiphertextBody ReadCiphertext(ReadOnlySpan<byte> bytes, CkksParameters parameters, SealLevel level, string source)
    {
        var reader = Open(bytes, source, "Ciphertext (or PublicKey)");
        var parmsId = reader.ReadParmsId();
        var primeCount = LevelOf(parameters, parmsId, level, source);
        var ntt = reader.ReadByte("is_ntt_form");
        var size = reader.ReadUInt64("size");
        var n = reader.ReadUInt64("poly_modulus_degree");
        var count = reader.ReadUInt64("coeff_modulus_size");
        var scale = reader.ReadDouble("scale");
        var correction = reader.ReadUInt64("correction_factor");
        if (ntt != 1)
            throw new SealFormatException($"{source}: is_ntt_form is {ntt}; CKKS ciphertexts are in NTT form (1).");
        if (size < MinSize || size > MaxSize)
            throw new SealFormatException($"{source}: {size} polynomials; SEAL allows {MinSize} to {MaxSize}.");
        CheckShape(parameters, primeCount, n, count, source);
        CheckScale(parameters, primeCount, scale, source);
        if (correction != 1)
            throw new SealFormatException($"{source}: correction_factor {correction}; CKKS ciphertexts have 1.");
        var expected = (long)size * parameters.PolyModulusDegree * primeCount;
        var words = ReadArray(ref reader, expected, seedable: size == 2, source);
        reader.EnsureEnd();
        CheckCoefficients(parameters, primeCount, words, source);
        return new SealCiphertextBody(parmsId, (int)size, parameters.PolyModulusDegree, primeCount, scale, words);
    }

    /// <summary>Reads an NTT-form plaintext (a CKKS plaintext or a secret key) and checks it against <paramref name="parameters"/>.</summary>
    public static SealPlaintextBody ReadPlaintext(ReadOnlySpan<byte> bytes, CkksParameters parameters, SealLevel level, string source)
    {
        var reader = Open(bytes, source, "Plaintext (or SecretKey)");
        var parmsId = reader.ReadParmsId();
        if (parmsId == ParmsId.Zero)
            throw new SealFormatException($"{source}: parms_id is zero: a plaintext not in NTT form (BFV/BGV), not a CKKS plaintext.");
        var primeCount = LevelOf(parameters, parmsId, level, source);
        var coeffCount = reader.ReadUInt64("coeff_count");
        var scale = reader.ReadDouble("scale");
        var expected = (long)parameters.PolyModulusDegree * primeCount;
        if (coeffCount != (ulong)expected)
            throw new SealFormatException($"{source}: coeff_count {coeffCount}; N × primes at this level is {expected}.");
        if (level == SealLevel.Data) CheckScale(parameters, primeCount, scale, source);
        var words = ReadArray(ref reader, expected, seedable: false, source);
        reader.EnsureEnd();
        try
        {
            CheckCoefficients(parameters, primeCount, words, source);
        }
        catch
        {
            Array.Clear(words); // may be a secret key
            throw;
        }
        return new SealPlaintextBody(parmsId, parameters.PolyModulusDegree, primeCount, scale, words);
    }

    private static SealReader Open(ReadOnlySpan<byte> bytes, string source, string expected)
    {
        var total = SealHeader.Read(bytes, source);
        if (total != bytes.Length)
            throw new SealFormatException($"{source}: {bytes.Length - total} unexpected bytes after the {total}-byte object.");
        if (SealLayout.KindOf(bytes) is { } kind && kind != expected)
            throw new SealFormatException($"{source}: holds a SEAL {kind}, not a {expected}.");
        var reader = new SealReader(bytes, source);
        reader.Take(SealHeader.Size, "header");
        return reader;
    }

    private static int LevelOf(CkksParameters parameters, ParmsId parmsId, SealLevel level, string source)
    {
        var primeCount = parameters.PrimeCountOf(parmsId);
        if (primeCount < 0)
            throw new SealFormatException(
                $"{source}: parms_id {parmsId.W0:x16} {parmsId.W1:x16} {parmsId.W2:x16} {parmsId.W3:x16} is no level of these parameters (N = {parameters.PolyModulusDegree}, {parameters.CoeffModulus.Count} primes): made with other parameters.");
        if (level == SealLevel.Key && parmsId != parameters.KeyParmsId)
            throw new SealFormatException($"{source}: a key must be at the key level ({parameters.CoeffModulus.Count} primes); this one has {primeCount}.");
        if (level == SealLevel.Data && primeCount > parameters.FirstLevelPrimeCount)
            throw new SealFormatException($"{source}: at the key level; ciphertexts and plaintexts sit at data levels (at most {parameters.FirstLevelPrimeCount} primes).");
        return primeCount;
    }

    private static void CheckShape(CkksParameters parameters, int primeCount, ulong n, ulong count, string source)
    {
        if (n != (ulong)parameters.PolyModulusDegree)
            throw new SealFormatException($"{source}: poly_modulus_degree {n}; the parameters have {parameters.PolyModulusDegree}.");
        if (count != (ulong)primeCount)
            throw new SealFormatException($"{source}: coeff_modulus_size {count}; its parms_id's level has {primeCount} primes.");
    }

    /// <summary>SEAL's CKKS rule: a positive scale with fewer bits than the level's modulus.</summary>
    private static void CheckScale(CkksParameters parameters, int primeCount, double scale, string source)
    {
        var levelBits = 0;
        for (var i = 0; i < primeCount; i++) levelBits += 64 - System.Numerics.BitOperations.LeadingZeroCount(parameters.CoeffModulus[i]);
        if (!double.IsFinite(scale) || scale < 1 || Math.Floor(Math.Log2(scale)) + 1 >= levelBits)
            throw new SealFormatException($"{source}: scale {scale} is outside [1, 2^{levelBits - 1}) for this level's {levelBits}-bit modulus.");
    }

    private static void WriteArray(ref SealWriter writer, ReadOnlySpan<ulong> data)
    {
        writer.Header(ArrayPrefix + 8 * data.Length);
        writer.UInt64((ulong)data.Length);
        writer.Words(data);
    }

    private static ulong[] ReadArray(ref SealReader reader, long expected, bool seedable, string source)
    {
        var body = reader.ReadNestedHeader("coefficient array");
        var count = reader.ReadUInt64("coefficient count");
        if (seedable && count * 2 == (ulong)expected)
            throw new SealFormatException(
                $"{source}: a seeded ciphertext (second polynomial replaced by a PRNG seed); only full ciphertexts are supported: save one from Encryptor.encrypt or after any evaluation.");
        if (count != (ulong)expected)
            throw new SealFormatException($"{source}: the coefficient array has {count} words; {expected} expected.");
        if ((ulong)body != 8 + count * 8)
            throw new SealFormatException($"{source}: the coefficient array's header says {body} body bytes for {count} words.");
        return reader.ReadWords(expected, "coefficients");
    }

    private static void CheckCoefficients(CkksParameters parameters, int primeCount, ulong[] words, string source)
    {
        var n = parameters.PolyModulusDegree;
        for (var start = 0; start < words.Length; start += n)
        {
            var prime = parameters.CoeffModulus[start / n % primeCount];
            var row = words.AsSpan(start, n);
            for (var k = 0; k < row.Length; k++)
                if (row[k] >= prime)
                    throw new SealFormatException(
                        $"{source}: coefficient {k} of polynomial {start / n / primeCount} modulo prime {start / n % primeCount} is {row[k]}, not below that prime {prime}.");
        }
    }
}
