using System.Globalization;
using System.Security.Cryptography;
using VerticalFL.Crypto.Ckks;
using VerticalFL.Crypto.Ckks.Serialization;

namespace VerticalFL.Crypto.Tests.Ckks;

/// <summary>Our keys and parameters at the LR setting (N = 8192, {60,40,40,60}), saved in SEAL's format in a temp dir.</summary>
public sealed class SealInteropKeys : IDisposable
{
    public SealInteropKeys()
    {
        Directory.CreateDirectory(Dir);
        Context = new CkksContext(Parameters);
        var keys = new KeyGenerator(Context);
        SecretKey = keys.SecretKey;
        PublicKey = keys.CreatePublicKey();
        File.WriteAllBytes(ParmsPath, SealSerializer.Save(Parameters));
        File.WriteAllBytes(PublicKeyPath, SealSerializer.Save(PublicKey));
        var secret = SealSerializer.SaveSecret(SecretKey);
        File.WriteAllBytes(SecretKeyPath, secret);
        CryptographicOperations.ZeroMemory(secret);
    }

    public CkksParameters Parameters { get; } = CkksParameters.Create(8192, [60, 40, 40, 60]);
    public CkksContext Context { get; }
    public SecretKey SecretKey { get; }
    public PublicKey PublicKey { get; }
    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "vfl-seal-" + Guid.NewGuid().ToString("N"));
    public string ParmsPath => Path.Combine(Dir, "parms.seal");
    public string PublicKeyPath => Path.Combine(Dir, "public.seal");
    public string SecretKeyPath => Path.Combine(Dir, "secret.seal");

    public void Dispose()
    {
        SecretKey.Dispose();
        Directory.Delete(Dir, recursive: true);
    }
}

/// <summary>
/// Our CKKS against real Microsoft SEAL (node-seal 7.0.0 = SEAL 4.1, tests/seal/interop.mjs), both directions,
/// on files in SEAL's format. Skipped, with the reason, where node-seal is not installed (tests/run.sh installs it).
/// </summary>
public sealed class SealInteropTests(SealInteropKeys keys) : IClassFixture<SealInteropKeys>
{
    private const int ScaleBits = 40;
    private static readonly double[] Values = [1.5, -2.25, 3.0, 1e-3, -1234.5678, 0.0, 42.0, -0.333];

    private static string Join(IEnumerable<double> values) => string.Join(',', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    private string TempFile(string name) => Path.Combine(keys.Dir, Guid.NewGuid().ToString("N") + "-" + name);

    private static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double tolerance = 1e-6)
    {
        for (var i = 0; i < expected.Count; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"slot {i}: expected {expected[i]}, got {actual[i]}");
    }

    private double[] OurDecrypt(Ciphertext cipher) => new CkksEncoder(keys.Context).Decode(new Decryptor(keys.Context, keys.SecretKey).Decrypt(cipher));

    private Ciphertext OurEncrypt(double[] values) =>
        new Encryptor(keys.Context, keys.PublicKey).Encrypt(new CkksEncoder(keys.Context).Encode(values, Math.Pow(2, ScaleBits)));

    [SealInteropFact]
    public void SealEncryptsWithOurPublicKey_WeDecrypt()
    {
        var output = TempFile("ct.seal");
        SealNode.Run("encrypt", "--parms", keys.ParmsPath, "--public-key", keys.PublicKeyPath, "--scale-bits", $"{ScaleBits}",
            "--values", Join(Values), "--out", output);
        var bytes = File.ReadAllBytes(output);
        Assert.Equal(393_329, bytes.Length);
        var decrypted = OurDecrypt(SealSerializer.LoadCiphertext(bytes, keys.Parameters, output));
        AssertClose(Values, decrypted);
        AssertClose(new double[10], decrypted[Values.Length..(Values.Length + 10)]); // the unused slots hold zeros
    }

    [SealInteropFact]
    public void WeEncrypt_SealDecryptsWithOurSecretKey()
    {
        var input = TempFile("ct.seal");
        File.WriteAllBytes(input, SealSerializer.Save(OurEncrypt(Values)));
        var printed = SealNode.Run("decrypt", "--parms", keys.ParmsPath, "--secret-key", keys.SecretKeyPath, "--in", input, "--count", "12")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(12, printed.Length);
        AssertClose([.. Values, 0, 0, 0, 0], printed);
    }

    [SealInteropFact]
    public void MultiplyPlain_SealsAndOurs_AreByteIdentical()
    {
        var cipher = OurEncrypt(Values);
        double[] factors = [2.0, -0.5, 1e-3, 7.0, 0.25, 3.0, -1.0, 0.5];
        var plain = new CkksEncoder(keys.Context).Encode(factors, Math.Pow(2, ScaleBits));
        string cipherPath = TempFile("ct.seal"), plainPath = TempFile("pt.seal"), productPath = TempFile("product.seal");
        File.WriteAllBytes(cipherPath, SealSerializer.Save(cipher));
        File.WriteAllBytes(plainPath, SealSerializer.Save(plain));
        SealNode.Run("multiply-plain", "--parms", keys.ParmsPath, "--in", cipherPath, "--plain", plainPath, "--out", productPath);
        var ours = SealSerializer.Save(new Evaluator(keys.Context).MultiplyPlain(cipher, plain));
        var seals = File.ReadAllBytes(productPath);
        Assert.Equal(seals.Length, ours.Length);
        Assert.True(seals.AsSpan().SequenceEqual(ours), $"first difference at byte {seals.AsSpan().CommonPrefixLength(ours)}");

        // The same with SEAL encoding the factors itself: its encoder and ours agree to the bit as well.
        var sealEncoded = TempFile("product2.seal");
        SealNode.Run("multiply-plain", "--parms", keys.ParmsPath, "--in", cipherPath, "--values", Join(factors), "--scale-bits", $"{ScaleBits}", "--out", sealEncoded);
        Assert.True(File.ReadAllBytes(sealEncoded).AsSpan().SequenceEqual(ours), "SEAL-encoded multiply_plain differs from ours");
    }

    [SealInteropFact]
    public void SealsOwnKeyFiles_LoadAndResaveByteForByte_AndWorkWithOurCode()
    {
        var dir = TempFile("seal-keys");
        SealNode.Run("keygen", "--n", "8192", "--coeff-bits", "60,40,40,60", "--out", dir);
        var parmsBytes = File.ReadAllBytes(Path.Combine(dir, "parms.seal"));
        var parameters = SealSerializer.LoadParameters(parmsBytes, "parms.seal");
        Assert.Equal(parmsBytes, SealSerializer.Save(parameters));
        var publicBytes = File.ReadAllBytes(Path.Combine(dir, "public.seal"));
        Assert.Equal(524_401, publicBytes.Length);
        var publicKey = SealSerializer.LoadPublicKey(publicBytes, parameters, "public.seal");
        Assert.Equal(publicBytes, SealSerializer.Save(publicKey));
        using var secretKey = SealFile.ReadSecret(Path.Combine(dir, "secret.seal"), bytes =>
        {
            Assert.Equal(262_232, bytes.Length);
            var key = SealSerializer.LoadSecretKey(bytes, parameters, "secret.seal");
            Assert.Equal(bytes, SealSerializer.SaveSecret(key));
            return key;
        });

        // SEAL's public key encrypts for us; SEAL's secret key decrypts in our code.
        var context = new CkksContext(parameters);
        var cipher = new Encryptor(context, publicKey).Encrypt(new CkksEncoder(context).Encode(Values, Math.Pow(2, ScaleBits)));
        AssertClose(Values, new CkksEncoder(context).Decode(new Decryptor(context, secretKey).Decrypt(cipher)));
    }

    [SealInteropFact]
    public void SealsSeededAndCompressedCiphertexts_AreRefusedClearly()
    {
        string seeded = TempFile("seeded.seal"), compressed = TempFile("zlib.seal");
        SealNode.Run("encrypt-seeded", "--parms", keys.ParmsPath, "--public-key", keys.PublicKeyPath, "--secret-key", keys.SecretKeyPath,
            "--scale-bits", $"{ScaleBits}", "--values", Join(Values), "--out", seeded);
        SealNode.Run("encrypt", "--parms", keys.ParmsPath, "--public-key", keys.PublicKeyPath, "--scale-bits", $"{ScaleBits}",
            "--values", Join(Values), "--compress", "zlib", "--out", compressed);
        var e = Assert.Throws<SealFormatException>(() => SealSerializer.LoadCiphertext(File.ReadAllBytes(seeded), keys.Parameters, seeded));
        Assert.Contains("seeded", e.Message);
        Assert.Contains(seeded, e.Message);
        e = Assert.Throws<SealFormatException>(() => SealSerializer.LoadCiphertext(File.ReadAllBytes(compressed), keys.Parameters, compressed));
        Assert.Contains("compressed object (zlib)", e.Message);
    }

    [SealInteropFact]
    public void SealRefusesAciphertextOfOtherParameters_SoTheFixtureIsMeaningful()
    {
        // A check of the harness itself: SEAL must fail loudly on a file that is not valid for its parameters.
        var dir = TempFile("other");
        SealNode.Run("keygen", "--n", "4096", "--coeff-bits", "36,36,37", "--out", dir);
        var input = TempFile("ct.seal");
        File.WriteAllBytes(input, SealSerializer.Save(OurEncrypt(Values)));
        Assert.Throws<InvalidOperationException>(() =>
            SealNode.Run("decrypt", "--parms", Path.Combine(dir, "parms.seal"), "--secret-key", Path.Combine(dir, "secret.seal"), "--in", input));
    }
}
