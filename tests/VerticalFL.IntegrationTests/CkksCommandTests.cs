using System.Globalization;
using VerticalFL.Cli.Local;
using VerticalFL.Crypto.Ckks;
using VerticalFL.Crypto.Ckks.Serialization;

namespace VerticalFL.IntegrationTests;

/// <summary><c>vfl ckks keygen|encrypt|decrypt|inspect</c> as an operator runs them: files, modes, exit codes.</summary>
public sealed class CkksCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "vfl-ckks-cli-" + Guid.NewGuid().ToString("N"));

    public CkksCommandTests() => Directory.CreateDirectory(_directory);

    private string PathOf(string name) => Path.Combine(_directory, name);

    [Fact]
    public async Task KeygenEncryptDecrypt_RoundTrip_WithSealSizedFilesAndAPrivateSecretKey()
    {
        var keys = PathOf("keys");
        var (code, _, error) = await RunCliAsync(["ckks", "keygen", "--n", "8192", "--coeff-bits", "60,40,40,60", "--out", keys]);
        Assert.True(code == 0, error);
        Assert.Equal(153, new FileInfo(Path.Combine(keys, "parms.seal")).Length);
        Assert.Equal(524_401, new FileInfo(Path.Combine(keys, "public.seal")).Length);
        Assert.Equal(262_232, new FileInfo(Path.Combine(keys, "secret.seal")).Length);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(keys, "secret.seal")));

        File.WriteAllText(PathOf("values.csv"), "1.5,-2.25\n\n1000.125\n-0.001\n");
        (code, _, error) = await RunCliAsync(["ckks", "encrypt", "--parms", Path.Combine(keys, "parms.seal"), "--public-key", Path.Combine(keys, "public.seal"),
            "--scale-bits", "40", "--in", PathOf("values.csv"), "--out", PathOf("ct.seal")]);
        Assert.True(code == 0, error);
        Assert.Equal(393_329, new FileInfo(PathOf("ct.seal")).Length);

        (code, var output, error) = await RunCliAsync(["ckks", "decrypt", "--parms", Path.Combine(keys, "parms.seal"), "--secret-key", Path.Combine(keys, "secret.seal"),
            "--in", PathOf("ct.seal"), "--count", "5"]);
        Assert.True(code == 0, error);
        var values = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(5, values.Length);
        double[] expected = [1.5, -2.25, 1000.125, -0.001, 0];
        for (var i = 0; i < 5; i++) Assert.InRange(values[i], expected[i] - 1e-6, expected[i] + 1e-6);

        (code, output, _) = await RunCliAsync(["ckks", "inspect", PathOf("ct.seal"), "--parms", Path.Combine(keys, "parms.seal")]);
        Assert.Equal(0, code);
        Assert.Contains("valid ciphertext for these parameters (3 primes)", output);

        (code, _, error) = await RunCliAsync(["ckks", "keygen", "--out", keys]);
        Assert.Equal(2, code);
        Assert.Contains("--force", error);
    }

    [Fact]
    public async Task Encrypt_ANonNumberInTheCsv_ExitsTwoNamingFileAndLine_AndWritesNothing()
    {
        var parms = PathOf("parms.seal");
        File.WriteAllBytes(parms, SealSerializer.Save(CkksParameters.Create(4096, [36, 36, 37])));
        var fakeKey = PathOf("public.seal");
        File.WriteAllBytes(fakeKey, SealPolyFormat.WriteCiphertext(CkksParameters.Create(4096, [36, 36, 37]).KeyParmsId, 2, 4096, 3, 1.0, new ulong[2 * 3 * 4096]));
        File.WriteAllText(PathOf("values.csv"), "1,2\n3,abc\n");
        var (code, _, error) = await RunCliAsync(["ckks", "encrypt", "--parms", parms, "--public-key", fakeKey, "--in", PathOf("values.csv"), "--out", PathOf("ct.seal")]);
        Assert.Equal(2, code);
        Assert.Contains($"{PathOf("values.csv")}:2", error);
        Assert.Contains("abc", error);
        Assert.Empty(Directory.GetFiles(_directory, "ct.seal*"));
    }

    [Fact]
    public async Task Decrypt_TruncatedCiphertext_ExitsTwoNamingTheFile()
    {
        var parameters = CkksParameters.Create(4096, [36, 36, 37]);
        File.WriteAllBytes(PathOf("parms.seal"), SealSerializer.Save(parameters));
        File.WriteAllBytes(PathOf("secret.seal"), SealPolyFormat.WritePlaintext(parameters.KeyParmsId, 4096, 3, 1.0, new ulong[3 * 4096]));
        var cipher = SealPolyFormat.WriteCiphertext(parameters.FirstParmsId, 2, 4096, 2, 1 << 30, new ulong[2 * 2 * 4096]);
        File.WriteAllBytes(PathOf("ct.seal"), cipher[..1000]);
        var (code, output, error) = await RunCliAsync(["ckks", "decrypt", "--parms", PathOf("parms.seal"), "--secret-key", PathOf("secret.seal"), "--in", PathOf("ct.seal")]);
        Assert.Equal(2, code);
        Assert.Contains(PathOf("ct.seal"), error);
        Assert.Contains("truncated", error);
        Assert.Equal("", output);
    }

    [Fact]
    public async Task Inspect_Parameters_AndACompressedFile()
    {
        var parameters = CkksParameters.Create(8192, [60, 40, 40, 60]);
        File.WriteAllBytes(PathOf("parms.seal"), SealSerializer.Save(parameters));
        var (code, output, _) = await RunCliAsync(["ckks", "inspect", PathOf("parms.seal")]);
        Assert.Equal(0, code);
        Assert.Contains("object: EncryptionParameters", output);
        Assert.Contains("prime 0: 0xffffffffffe8001 (60 bits)", output);
        Assert.Contains("special prime", output);

        var compressed = SealSerializer.Save(parameters);
        compressed[5] = 2;
        File.WriteAllBytes(PathOf("zstd.seal"), compressed);
        (code, output, var error) = await RunCliAsync(["ckks", "inspect", PathOf("zstd.seal")]);
        Assert.Equal(2, code);
        Assert.Contains("compression zstd", output);
        Assert.Contains("compressed object (zstd)", error);
    }

    private static async Task<(int Code, string Output, string Error)> RunCliAsync(string[] arguments)
    {
        return await Vfl.RunAsync(arguments);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
