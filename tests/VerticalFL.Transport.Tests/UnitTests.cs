using System.Security.Cryptography.X509Certificates;
using VerticalFL.Transport.Metrics;
using VerticalFL.Transport.Security;
using VerticalFL.Transport.Tests.Infrastructure;

namespace VerticalFL.Transport.Tests;

public sealed class KeysTests
{
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Create_NewDirectory_WritesPrivateKeysWithMode0600()
    {
        string dir = Path.Combine(Path.GetTempPath(), "vfl-keys-" + Guid.NewGuid().ToString("N"));
        var files = FederationKeys.Create(dir, ["guest", "host"], TimeSpan.FromDays(1));

        Assert.Equal(6, files.Count);
        foreach (var key in files.Where(f => f.EndsWith(".key", StringComparison.Ordinal)))
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(Path.Combine(dir, "host.key")));
    }

    [Fact]
    public void Create_KeysExistWithoutOverwrite_RefusesAndKeepsThem()
    {
        string dir = Path.Combine(Path.GetTempPath(), "vfl-keys-" + Guid.NewGuid().ToString("N"));
        FederationKeys.Create(dir, ["guest"], TimeSpan.FromDays(1));
        string before = File.ReadAllText(Path.Combine(dir, "guest.key"));

        var e = Assert.Throws<ArgumentException>(() => FederationKeys.Create(dir, ["guest"], TimeSpan.FromDays(1)));
        Assert.Contains("--force", e.Message);
        Assert.Equal(before, File.ReadAllText(Path.Combine(dir, "guest.key")));

        FederationKeys.Create(dir, ["guest"], TimeSpan.FromDays(1), overwrite: true);
        Assert.NotEqual(before, File.ReadAllText(Path.Combine(dir, "guest.key")));
    }

    [Theory]
    [InlineData("Guest")]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("-x")]
    public void Create_InvalidPartyId_Throws(string party) =>
        Assert.Throws<ArgumentException>(() => FederationKeys.Create(Path.GetTempPath(), [party], TimeSpan.FromDays(1)));

    [Fact]
    public void FromCertificate_PartyCertificate_ReadsSanUriParty()
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(TestKeys.Of("arbiter").CertificatePath));

        Assert.Equal("arbiter", PartyIdentity.FromCertificate(certificate));
        Assert.Contains("vfl://party/arbiter", certificate.Extensions["2.5.29.17"]!.Format(false));
    }

    [Fact]
    public void CheckClient_CertificateOfAnotherCa_Rejected()
    {
        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(TestKeys.Of("guest").CaPath));
        using var ours = X509Certificate2.CreateFromPem(File.ReadAllText(TestKeys.Of("guest").CertificatePath));
        using var foreign = X509Certificate2.CreateFromPem(File.ReadAllText(FederationKeys.For(TestKeys.Foreign, "guest").CertificatePath));
        var trust = new FederationTrust(ca);

        Assert.Equal("guest", trust.CheckClient(ours).PartyId);
        var check = trust.CheckClient(foreign);
        Assert.False(check.IsValid);
        Assert.Contains("federation CA", check.Reason);
        Assert.False(trust.CheckServer(null).IsValid);
    }
}

public sealed class AuthorizerTests
{
    private static readonly FederationAuthorizer Authorizer = new(["guest"], new JobTable(), ["/open.Service/Call"]);

    [Theory]
    [InlineData("guest", "/vfl.v1.JobControl/Propose", "new-job", true)]
    [InlineData("host", "/vfl.v1.JobControl/Propose", "new-job", false)]
    [InlineData("guest", "/vfl.v1.JobControl/Cancel", JobTable.Job, true)]
    [InlineData("host", "/vfl.v1.JobControl/Cancel", JobTable.Job, false)]
    [InlineData("host", "/vfl.v1.JobControl/Status", JobTable.Job, true)]
    [InlineData("outsider", "/vfl.v1.JobControl/WatchJob", JobTable.Job, false)]
    [InlineData("host", "/vfl.v1.Mailbox/Deliver", JobTable.Job, true)]
    [InlineData("outsider", "/vfl.v1.Mailbox/Deliver", JobTable.Job, false)]
    [InlineData("host", "/vfl.v1.Mailbox/Deliver", "", false)]
    [InlineData("outsider", "/vfl.v1.Mailbox/DeliverStream", null, true)]
    [InlineData("outsider", "/grpc.health.v1.Health/Check", null, true)]
    [InlineData("outsider", "/open.Service/Call", null, true)]
    [InlineData("guest", "/other.Service/Call", JobTable.Job, false)]
    public async Task AuthorizeAsync_Rule_Decides(string party, string method, string? jobId, bool allowed)
    {
        var decision = await Authorizer.AuthorizeAsync(new AuthorizationRequest(party, method, jobId), Await.Token()).AsTask().Within();

        Assert.Equal(allowed, decision.IsAllowed);
        Assert.False(string.IsNullOrEmpty(decision.Reason));
    }
}

public sealed class MetricsTests
{
    [Fact]
    public void RenderPrometheus_AfterMeasurements_WritesCountersGaugeAndHistogram()
    {
        var metrics = new TransportMetrics();
        metrics.CountMessage(Direction.Sent, "/m", "host", 100);
        metrics.CountMessage(Direction.Sent, "/m", "host", 50);
        metrics.RecordCall("client", "/m", "host", "OK", 0.003);
        metrics.SetJobProgress("j\"1", 0.25);

        string text = metrics.RenderPrometheus();

        Assert.Contains("# TYPE vfl_transport_bytes_total counter", text);
        Assert.Contains("vfl_transport_bytes_total{direction=\"sent\",method=\"/m\",peer=\"host\"} 150", text);
        Assert.Contains("vfl_transport_messages_total{direction=\"sent\",method=\"/m\",peer=\"host\"} 2", text);
        Assert.Contains("vfl_transport_call_duration_seconds_bucket{code=\"OK\",method=\"/m\",peer=\"host\",side=\"client\",le=\"0.005\"} 1", text);
        Assert.Contains("vfl_transport_call_duration_seconds_bucket{code=\"OK\",method=\"/m\",peer=\"host\",side=\"client\",le=\"0.0025\"} 0", text);
        Assert.Contains("vfl_transport_call_duration_seconds_count{code=\"OK\",method=\"/m\",peer=\"host\",side=\"client\"} 1", text);
        Assert.Contains("vfl_job_progress{job_id=\"j\\\"1\"} 0.25", text);

        metrics.ForgetJob("j\"1");
        Assert.DoesNotContain("vfl_job_progress{", metrics.RenderPrometheus());
    }
}
