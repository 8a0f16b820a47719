using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Health.V1;
using VerticalFL.Transport.Security;
using VerticalFL.Transport.Server;
using VerticalFL.Transport.Tests.Infrastructure;

namespace VerticalFL.Transport.Tests;

/// <summary>
/// Issue 10 finding 6: each party makes its own key and request, the CA signs it for one role, and the
/// handshake holds a certificate to that role and, where pinned, to its exact fingerprint.
/// </summary>
public sealed class KeyFlowTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vfl-keyflow-").FullName;
    private string CaDir => Path.Combine(_dir, "ca");

    public KeyFlowTests() => CertificateSigning.CreateCa(CaDir, TimeSpan.FromDays(2));

    [Fact]
    public void Request_WritesPrivateKey0600AndARequestWhoseSignatureVerifies()
    {
        var files = CertificateSigning.Request(Path.Combine(_dir, "bank"), "bank");

        Assert.Equal([Path.Combine(_dir, "bank", "bank.key"), Path.Combine(_dir, "bank", "bank.csr")], files);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(files[0]));
        var request = CertificateRequest.LoadSigningRequestPem(File.ReadAllText(files[1]), HashAlgorithmName.SHA256);
        Assert.Equal("CN=bank, O=VerticalFL", request.SubjectName.Name);
        using var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(files[0]));
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), request.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.DoesNotContain("PRIVATE", File.ReadAllText(files[1]));
    }

    [Fact]
    public void Sign_Request_CertificateNamesThePartyAndRoleAndChainsToTheCa()
    {
        var certificate = RequestAndSign("telecom", "host");

        Assert.Equal("telecom", PartyIdentity.FromCertificate(certificate));
        Assert.Equal("host", CertificateRoles.Of(certificate));
        // Independent of FederationTrust: a plain X509Chain with the CA as the only root.
        using var ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(CaDir, "ca.crt"));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(certificate), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.False(File.Exists(Path.Combine(_dir, "telecom", "ca.key")));
    }

    [Fact]
    public void Sign_RequestWithBrokenSignature_IsRefused()
    {
        string csr = CertificateSigning.Request(Path.Combine(_dir, "bank"), "bank")[1];
        string text = File.ReadAllText(csr);
        byte[] der = Convert.FromBase64String(text[PemEncoding.Find(text).Base64Data]);
        der[^3] ^= 0x01;   // inside the signature's BIT STRING
        File.WriteAllText(csr, PemEncoding.WriteString("CERTIFICATE REQUEST", der));

        var e = Assert.Throws<ArgumentException>(() =>
            CertificateSigning.Sign(CaDir, csr, "guest", Path.Combine(_dir, "bank.crt"), TimeSpan.FromDays(1)));
        Assert.Contains("signature", e.Message);
        Assert.False(File.Exists(Path.Combine(_dir, "bank.crt")));
    }

    [Theory]
    [InlineData("../evil")]
    [InlineData("Bank")]
    [InlineData("a/b")]
    public void Sign_RequestWithMalformedPartyId_IsRefusedNamingIt(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN=\"{commonName}\""), key, HashAlgorithmName.SHA256);
        string csr = Path.Combine(_dir, "evil.csr");
        File.WriteAllText(csr, request.CreateSigningRequestPem());

        var e = Assert.Throws<ArgumentException>(() =>
            CertificateSigning.Sign(CaDir, csr, "host", Path.Combine(_dir, "evil.crt"), TimeSpan.FromDays(1)));
        Assert.Contains($"'{commonName}' is not a valid party id", e.Message);
        Assert.False(File.Exists(Path.Combine(_dir, "evil.crt")));
    }

    [Fact]
    public void Sign_UnknownRole_IsRefused()
    {
        string csr = CertificateSigning.Request(Path.Combine(_dir, "bank"), "bank")[1];
        Assert.Throws<ArgumentException>(() => CertificateSigning.Sign(CaDir, csr, "admin", Path.Combine(_dir, "bank.crt"), TimeSpan.FromDays(1)));
    }

    [Fact]
    public async Task Handshake_HostCertificateServingAsTheArbiter_ClientRefusesNamingBothRoles()
    {
        var arbiterAsHost = Files("arbiter", "host");
        var guest = Files("guest", "guest");
        await using var server = await TestParty.StartAsync("arbiter", keyFiles: arbiterAsHost);
        var logs = new LogSink();
        using var client = server.ClientFor("guest", keyFiles: guest, logs: logs, maxAttempts: 1,
            rules: Rules("guest", "guest", ("arbiter", "arbiter", null)));

        var e = await Assert.ThrowsAsync<RpcException>(() => client.Health("arbiter").CheckAsync(new HealthCheckRequest()).ResponseAsync.Within());

        Assert.NotEqual(StatusCode.OK, e.StatusCode);
        Assert.Contains(logs.Entries, l => l.EventId == 2002
            && l.Message.Contains("the certificate of 'arbiter' is signed for role host, but 'arbiter' is configured as the arbiter", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Handshake_ClientCertificateOfAnotherRole_ServerRefusesAndLogsTheReason()
    {
        await using var server = await TestParty.StartAsync("host", keyFiles: Files("host", "host"),
            rules: Rules("host", "host", ("guest", "guest", null)));
        using var client = server.ClientFor("guest", keyFiles: Files("guest", "arbiter"), maxAttempts: 1);

        await Assert.ThrowsAsync<RpcException>(() => client.Health("host").CheckAsync(new HealthCheckRequest()).ResponseAsync.Within());

        Assert.Contains(server.Logs.Entries, l => l.EventId == 1003
            && l.Message.Contains("signed for role arbiter, but 'guest' is configured as the guest", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Handshake_PinnedFingerprint_OnlyThePinnedCertificateIsAccepted()
    {
        var host = Files("host", "host");
        var guest = Files("guest", "guest");
        string pinned = CertificateFingerprints.Of(X509CertificateLoader.LoadCertificateFromFile(host.CertificatePath));
        string other = "sha256:" + new string('0', 64);
        await using var server = await TestParty.StartAsync("host", keyFiles: host);

        var logs = new LogSink();
        using (var wrongPin = server.ClientFor("guest", keyFiles: guest, logs: logs, maxAttempts: 1, rules: Rules("guest", "guest", ("host", "host", other))))
            await Assert.ThrowsAsync<RpcException>(() => wrongPin.Health("host").CheckAsync(new HealthCheckRequest()).ResponseAsync.Within());
        Assert.Contains(logs.Entries, l => l.EventId == 2002 && l.Message.Contains($"'host' presented certificate {pinned}, but the config pins {other}", StringComparison.Ordinal));

        using var rightPin = server.ClientFor("guest", keyFiles: guest, rules: Rules("guest", "guest", ("host", "host", pinned)));
        var reply = await rightPin.Health("host").CheckAsync(new HealthCheckRequest()).ResponseAsync.Within();
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    [Fact]
    public void Start_OwnCertificateSignedForAnotherRole_IsRefusedNamingBoth()
    {
        var files = Files("arbiter", "host");
        var options = new PartyServerOptions
        {
            PartyId = "arbiter", CertificatePath = files.CertificatePath, KeyPath = files.KeyPath, CaPath = files.CaPath,
            CertificateRules = Rules("arbiter", "arbiter"),
        };
        var e = Assert.Throws<ArgumentException>(() => PartyServer.Create(options, new Protocol.Channels.PartyMailbox(TimeSpan.FromSeconds(1)),
            new FederationAuthorizer([], new JobTable())));
        Assert.Contains("is signed for role host, but this party is configured as the arbiter", e.Message);
    }

    [Theory]
    [InlineData("sha256:ABCDEF")]
    [InlineData("md5:00")]
    [InlineData("")]
    public void Fingerprint_Malformed_IsRefused(string value) =>
        Assert.Throws<ArgumentException>(() => CertificateFingerprints.Normalize(value, "peers[0].fingerprint"));

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private X509Certificate2 RequestAndSign(string party, string role)
    {
        var files = Files(party, role);
        return X509CertificateLoader.LoadCertificateFromFile(files.CertificatePath);
    }

    /// <summary>The request/sign flow for one party, in a directory of its own that receives only its certificate and ca.crt.</summary>
    private FederationKeys.PartyFiles Files(string party, string role)
    {
        string own = Path.Combine(_dir, $"{party}-as-{role}");
        string csr = CertificateSigning.Request(own, party)[1];
        CertificateSigning.Sign(CaDir, csr, role, Path.Combine(own, party + ".crt"), TimeSpan.FromDays(1));
        File.Copy(Path.Combine(CaDir, "ca.crt"), Path.Combine(own, "ca.crt"));
        return FederationKeys.For(own, party);
    }

    private static PeerCertificateRules Rules(string self, string role, params (string Id, string Role, string? Pin)[] peers) =>
        new(self, role, peers.ToDictionary(p => p.Id, p => new PeerExpectation(p.Role, p.Pin)));
}
