using System.Diagnostics;
using VerticalFL.Cli;
using VerticalFL.Cli.Data;
using VerticalFL.Cli.Local;
using VerticalFL.Cli.Operator;
using VerticalFL.Contracts.V1;
using VerticalFL.Transport.Security;

namespace VerticalFL.IntegrationTests;

/// <summary>
/// Issue 10 finding 6 end to end: three parties each make their own key with `vfl keys request`, the CA
/// operator signs with `vfl keys sign`, and a job succeeds; a certificate signed for role host cannot act
/// as the arbiter. Every `vfl` here is a real process; each party's directory receives only its own key,
/// its certificate and ca.crt.
/// </summary>
public sealed class KeyRequestSignTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vfl-keys-it-").FullName;
    private string CaDir => Path.Combine(_dir, "ca-operator");

    [Fact]
    public async Task TrainingJob_EachPartyRequestsItsOwnKeyAndTheCaSigns_Succeeds()
    {
        using var federation = await StartAsync(new() { ["bank"] = "guest", ["telecom"] = "host", ["arbiter"] = "arbiter" });

        using var timeout = new CancellationTokenSource(RunningFederation.JobTimeout);
        var reply = await federation.Operator.Operator.SubmitAsync(new SubmitJobRequest
        {
            SpecYaml = RunningFederation.JobYaml("  epochs: 1\n  batch_size: -1\n  key_bits: 2048"), Source = "test.yaml",
        }, cancellationToken: timeout.Token);
        await JobWatcher.FollowAsync(federation.Operator, reply.JobId, quiet: true, timeout.Token);
        var report = await federation.Operator.Operator.GetAsync(new JobRef { JobId = reply.JobId }, cancellationToken: timeout.Token);

        Assert.True(report.Summary.State == "succeeded", $"job {report.Summary.State}: {report.Summary.Reason}");
        foreach (var party in new[] { "bank", "telecom", "arbiter" })
        {
            var own = Directory.GetFiles(PartyDir(party)).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(new[] { "ca.crt", $"{party}.crt", $"{party}.csr", $"{party}.key" }.Order(StringComparer.Ordinal), own);
        }
        Assert.Equal(["ca.crt", "ca.key"], Directory.GetFiles(CaDir).Select(Path.GetFileName).Order().ToList());
    }

    [Fact]
    public async Task ArbiterWithACertificateSignedForRoleHost_IsRefusedWithTheReason()
    {
        var e = await Assert.ThrowsAsync<JobFailedException>(() =>
            StartAsync(new() { ["bank"] = "guest", ["telecom"] = "host", ["arbiter"] = "host" }));

        Assert.Contains("arbiter", e.Message);
        Assert.Contains("is signed for role host, but this party is configured as the arbiter", e.Message);
    }

    [Fact]
    public async Task KeysSign_RequestForAMalformedPartyId_ExitsWithCode2AndWritesNoCertificate()
    {
        await VflAsync(0, "keys", "ca", "--out", CaDir);
        string csr = Path.Combine(_dir, "evil.csr");
        using (var key = System.Security.Cryptography.ECDsa.Create())
            await File.WriteAllTextAsync(csr, new System.Security.Cryptography.X509Certificates.CertificateRequest(
                "CN=\"../evil\"", key, System.Security.Cryptography.HashAlgorithmName.SHA256).CreateSigningRequestPem());

        string output = await VflAsync(2, "keys", "sign", "--ca", CaDir, "--csr", csr, "--role", "host", "--out", Path.Combine(_dir, "evil.crt"));

        Assert.Contains("'../evil' is not a valid party id", output);
        Assert.False(File.Exists(Path.Combine(_dir, "evil.crt")));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task KeysInitAddParty_ExistingDemoCa_IssuesOnlyTheNewPartyAndKeepsEveryOtherFile()
    {
        string keys = Path.Combine(_dir, "demo");
        await VflAsync(0, "keys", "init", "--out", keys, "--parties", "bank:guest,telecom:host,arbiter:arbiter");
        var before = Directory.GetFiles(keys).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

        string output = await VflAsync(0, "keys", "init", "--out", keys, "--add-party", "telecom2", "--role", "host");

        Assert.Contains("Added 'telecom2' (host)", output);
        Assert.Contains("restart those parties", output);
        foreach (var (name, bytes) in before)
            Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(keys, name))), $"{name} changed");
        using var ca = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(Path.Combine(keys, "ca.crt"));
        using var added = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(Path.Combine(keys, "telecom2.crt"));
        using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
        chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
        Assert.True(chain.Build(added), "telecom2.crt does not chain to the existing ca.crt");
        Assert.Equal("host", CertificateRoles.Of(added));
        Assert.Equal(System.IO.UnixFileMode.UserRead | System.IO.UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(keys, "telecom2.key")));

        // Adding it again would replace its key: refused; a role is required; no CA: said so.
        Assert.Contains("Refusing to overwrite", await VflAsync(2, "keys", "init", "--out", keys, "--add-party", "telecom2", "--role", "host"));
        Assert.Contains("needs --role guest|host|arbiter", await VflAsync(2, "keys", "init", "--out", keys, "--add-party", "telecom3"));
        Assert.Contains("ca.crt' does not exist", await VflAsync(2, "keys", "init", "--out", Path.Combine(_dir, "nothing"), "--add-party", "x", "--role", "host"));
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private string PartyDir(string party) => Path.Combine(_dir, "machines", party);

    /// <summary>The CA operator makes the CA; each party requests; the CA signs each request with the given role.</summary>
    private async Task<RunningKeyedFederation> StartAsync(Dictionary<string, string> signedRoles)
    {
        await VflAsync(0, "keys", "ca", "--out", CaDir);
        foreach (var (party, role) in signedRoles)
        {
            await VflAsync(0, "keys", "request", "--party", party, "--out", PartyDir(party));
            await VflAsync(0, "keys", "sign", "--ca", CaDir, "--csr", Path.Combine(PartyDir(party), party + ".csr"), "--role", role,
                "--out", Path.Combine(PartyDir(party), party + ".crt"));
            File.Copy(Path.Combine(CaDir, "ca.crt"), Path.Combine(PartyDir(party), "ca.crt"));
        }
        var files = new SyntheticFederation { Rows = 200, Overlap = 0.75, Seed = 5, Hosts = 1 }.WriteTo(Path.Combine(_dir, "data"));
        var federation = LocalFederation.Prepare(Path.Combine(_dir, "run"), files.GuestPath, files.HostPaths, guestStore: null,
            keysOf: party => FederationKeys.For(PartyDir(party), party), allowSmallBatches: true); // 150 training rows: below the floor
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await federation.StartAsync(TimeSpan.FromSeconds(60), timeout.Token);
            return new RunningKeyedFederation(federation);
        }
        catch
        {
            federation.Dispose();
            throw;
        }
    }

    /// <summary>Runs `vfl ARGS...` as its own process; asserts the exit code and returns stdout + stderr.</summary>
    private static async Task<string> VflAsync(int expectedExit, params string[] args)
    {
        var start = PartyProcess.SelfCommand(args);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        string output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == expectedExit, $"vfl {string.Join(' ', args)} exited {process.ExitCode}: {output}");
        return output;
    }

    private sealed class RunningKeyedFederation(LocalFederation federation) : IDisposable
    {
        public OperatorConnection Operator { get; } = OperatorConnection.Open(federation.GuestConfig, TimeSpan.FromMinutes(2));

        public void Dispose()
        {
            Operator.Dispose();
            federation.Dispose();
        }
    }
}
