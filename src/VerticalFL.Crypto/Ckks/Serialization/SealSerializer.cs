namespace VerticalFL.Crypto.Ckks.Serialization;

/// <summary>
/// Our CKKS objects in SEAL's own formats (version 4.1 written, 4.0–4.4 read, compression none), so that files
/// pass between us and SEAL both ways. Every load checks the object against the parameters it is meant for.
/// </summary>
public static class SealSerializer
{
    public static byte[] Save(CkksParameters parameters) => SealParametersFormat.Write(parameters);

    public static byte[] Save(Ciphertext cipher)
    {
        if (!cipher.IsNttForm) throw new InvalidOperationException("SEAL's CKKS ciphertexts are in NTT form; this one is not.");
        return SealPolyFormat.WriteCiphertext(cipher.ParmsId, Ciphertext.Size, cipher.PolyModulusDegree, cipher.CoeffModulusCount, cipher.Scale, cipher.Data);
    }

    public static byte[] Save(Plaintext plain) =>
        SealPolyFormat.WritePlaintext(plain.ParmsId, plain.PolyModulusDegree, plain.CoeffModulusCount, plain.Scale, plain.Data);

    /// <summary>A public key is saved as SEAL saves it: a ciphertext at the key level with scale 1.</summary>
    public static byte[] Save(PublicKey key) =>
        SealPolyFormat.WriteCiphertext(key.ParmsId, Ciphertext.Size, key.Data.PolyModulusDegree, key.Data.CoeffModulusCount, 1.0, key.Data.Data);

    /// <summary>The secret key as SEAL saves it (an NTT-form plaintext at the key level, scale 1). Zero the bytes after use.</summary>
    public static byte[] SaveSecret(SecretKey key) =>
        SealPolyFormat.WritePlaintext(key.ParmsId, key.PolyModulusDegree, key.CoeffModulusCount, 1.0, key.Data);

    public static CkksParameters LoadParameters(ReadOnlySpan<byte> bytes, string source) => SealParametersFormat.Read(bytes, source);

    public static Ciphertext LoadCiphertext(ReadOnlySpan<byte> bytes, CkksParameters parameters, string source)
    {
        var body = SealPolyFormat.ReadCiphertext(bytes, parameters, SealLevel.Data, source);
        RequireSizeTwo(body, source);
        return new Ciphertext(body.Data, body.N, body.PrimeCount, body.ParmsId, isNttForm: true, body.Scale);
    }

    public static Plaintext LoadPlaintext(ReadOnlySpan<byte> bytes, CkksParameters parameters, string source)
    {
        var body = SealPolyFormat.ReadPlaintext(bytes, parameters, SealLevel.Data, source);
        return new Plaintext(body.Data, body.N, body.PrimeCount, body.ParmsId, body.Scale);
    }

    public static PublicKey LoadPublicKey(ReadOnlySpan<byte> bytes, CkksParameters parameters, string source)
    {
        var body = SealPolyFormat.ReadCiphertext(bytes, parameters, SealLevel.Key, source);
        RequireSizeTwo(body, source);
        return new PublicKey(new Ciphertext(body.Data, body.N, body.PrimeCount, body.ParmsId, isNttForm: true, scale: 1.0));
    }

    /// <summary>Loads a secret key; the caller zeroes <paramref name="bytes"/> (see <see cref="SealFile.ReadSecret"/>).</summary>
    public static SecretKey LoadSecretKey(ReadOnlySpan<byte> bytes, CkksParameters parameters, string source)
    {
        var body = SealPolyFormat.ReadPlaintext(bytes, parameters, SealLevel.Key, source);
        return new SecretKey(body.Data, body.N, body.PrimeCount, body.ParmsId);
    }

    private static void RequireSizeTwo(SealCiphertextBody body, string source)
    {
        if (body.Size != Ciphertext.Size)
            throw new SealFormatException(
                $"{source}: a ciphertext of {body.Size} polynomials (not relinearised); only size-2 ciphertexts are supported.");
    }
}
