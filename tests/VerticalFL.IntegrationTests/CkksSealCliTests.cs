using System.Diagnostics;
using System.Globalization;
using VerticalFL.Cli.Local;

namespace VerticalFL.IntegrationTests;

/// <summary>
/// <c>vfl ckks</c> on files real SEAL wrote, and SEAL on files <c>vfl ckks</c> wrote (node-seal 7.0.0 = SEAL 4.1
/// via tests/seal/interop.mjs). Skipped, with the reason, where node-seal is not installed (tests/run.sh installs it).
/// </summary>
public sealed class CkksSealCliTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "vfl-ckks-seal-cli-" + Guid.NewGuid().ToString("N"));

    public CkksSealCliTests() => Directory.CreateDirectory(_directory);

    private string PathOf(string name) => Path.Combine(_directory, name);

    [SealNodeFact]
    public async Task SealsKeysAndCiphertext_WorkInVflCkks_AndOurCiphertextDecryptsInSeal()
    {
        var keys = PathOf("seal-keys");
        SealNode.Run("keygen", "--n", "4096", "--coeff-bits", "36,36,37", "--out", keys);
        string parms = Path.Combine(keys, "parms.seal"), publicKey = Path.Combine(keys, "public.seal"), secretKey = Path.Combine(keys, "secret.seal");

        // SEAL encrypts; vfl decrypts with SEAL's secret key.
        SealNode.Run("encrypt", "--parms", parms, "--public-key", publicKey, "--scale-bits", "30", "--values", "3.5,-1.25,100", "--out", PathOf("seal-ct.seal"));
        var (code, output, error) = await RunCliAsync(["ckks", "decrypt", "--parms", parms, "--secret-key", secretKey, "--in", PathOf("seal-ct.seal"), "--count", "3"]);
        Assert.True(code == 0, error);
        AssertValues([3.5, -1.25, 100], output, 1e-4);

        // vfl encrypts with SEAL's public key; SEAL decrypts.
        File.WriteAllText(PathOf("values.csv"), "0.5\n-7\n42.25\n");
        (code, _, error) = await RunCliAsync(["ckks", "encrypt", "--parms", parms, "--public-key", publicKey, "--scale-bits", "30",
            "--in", PathOf("values.csv"), "--out", PathOf("vfl-ct.seal")]);
        Assert.True(code == 0, error);
        AssertValues([0.5, -7, 42.25], SealNode.Run("decrypt", "--parms", parms, "--secret-key", secretKey, "--in", PathOf("vfl-ct.seal"), "--count", "3"), 1e-4);

        (code, output, _) = await RunCliAsync(["ckks", "inspect", secretKey, "--parms", parms]);
        Assert.Equal(0, code);
        Assert.Contains("valid secret key for these parameters (3 primes, key level)", output);
    }

    private static void AssertValues(double[] expected, string printed, double tolerance)
    {
        var values = printed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(expected.Length, values.Length);
        for (var i = 0; i < expected.Length; i++) Assert.InRange(values[i], expected[i] - tolerance, expected[i] + tolerance);
    }

    private static async Task<(int Code, string Output, string Error)> RunCliAsync(string[] arguments)
    {
        return await Vfl.RunAsync(arguments);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

/// <summary>tests/seal/interop.mjs on the Node 22 that tests/setup/install-seal-deps.sh installs there.</summary>
internal static class SealNode
{
    private static readonly string SealDir = FindSealDir();
    private static string NodeBinary => Path.Combine(SealDir, "node_modules", "node", "bin", "node");

    public static string? MissingReason =>
        File.Exists(NodeBinary) && Directory.Exists(Path.Combine(SealDir, "node_modules", "node-seal")) ? null
            : $"node-seal or its Node 22 is not installed in {SealDir}: run tests/setup/install-seal-deps.sh (tests/run.sh does).";

    public static string Run(string command, params string[] args)
    {
        var info = new ProcessStartInfo(NodeBinary) { WorkingDirectory = SealDir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "interop.mjs", command }.Concat(args)) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node interop.mjs {command} did not finish within 60 s.");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"node interop.mjs {command} exited with {process.ExitCode}: {stderr.Result}");
        return stdout;
    }

    private static string FindSealDir()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "VerticalFL.sln")))
                return Path.Combine(dir.FullName, "tests", "seal");
        throw new InvalidOperationException($"VerticalFL.sln not found above {AppContext.BaseDirectory}.");
    }
}

/// <summary>A test that needs real SEAL: skipped, with the reason, where node-seal is not installed.</summary>
public sealed class SealNodeFactAttribute : FactAttribute
{
    public SealNodeFactAttribute()
    {
        if (SealNode.MissingReason is { } reason) Skip = reason;
    }
}
