using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using VerticalFL.Protocol.Channels;
using VerticalFL.Contracts.V1;
using VerticalFL.Transport.Tests.Infrastructure;

namespace VerticalFL.Transport.Tests;

/// <summary>Authentication and authorization end to end: who may connect, who may call what, and that denials change nothing.</summary>
public sealed class SecurityTests
{
    private static Envelope EnvelopeFor(string jobId) => new()
    {
        MessageId = Guid.NewGuid().ToString("N"), JobId = jobId, PayloadType = "vfl.v1.JobStatusRequest",
        Epoch = -1, Batch = -1, Payload = new JobStatusRequest { JobId = jobId }.ToByteString(),
    };

    /// <summary>
    /// TLS 1.3 checks the client certificate after the client has finished its handshake, so the server's
    /// rejection reaches the client either while connecting (Unavailable) or mid-request as a transport error
    /// (Internal, carrying the I/O exception); either way the call fails before any handler runs.
    /// </summary>
    private static void AssertRejectedByTls(RpcException e) =>
        Assert.True(e.StatusCode is StatusCode.Unavailable or StatusCode.Unauthenticated
            || (e.StatusCode == StatusCode.Internal && e.Status.DebugException is not null), $"unexpected {e.Status}");

    [Fact]
    public async Task Deliver_ClientWithoutCertificate_RejectedAndNothingQueued()
    {
        await using var host = await TestParty.StartAsync("host");
        using var channel = RawChannel.Create(host.Server.GrpcAddress);

        var e = await Assert.ThrowsAsync<RpcException>(() =>
            new Mailbox.MailboxClient(channel).DeliverAsync(EnvelopeFor(JobTable.Job), deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync.Within());

        AssertRejectedByTls(e);
        await Assert.ThrowsAsync<TimeoutException>(() => host.Mailbox.ReceiveAsync<JobStatusRequest>(JobTable.Job, "guest", Step.None, Await.Token()).Within());
    }

    [Fact]
    public async Task Deliver_CertificateFromAnotherCa_RejectedLoggedAndNothingQueued()
    {
        await using var host = await TestParty.StartAsync("host");
        using var foreignGuest = RawChannel.Certificate(TestKeys.Foreign, "guest");
        using var channel = RawChannel.Create(host.Server.GrpcAddress, foreignGuest);

        var e = await Assert.ThrowsAsync<RpcException>(() =>
            new Mailbox.MailboxClient(channel).DeliverAsync(EnvelopeFor(JobTable.Job), deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync.Within());

        AssertRejectedByTls(e);
        Assert.True(host.Logs.Has(1003), "the server logs the rejected certificate");
        Assert.DoesNotContain(host.Logs.Entries, l => l.Message.Contains("PRIVATE KEY", StringComparison.Ordinal));
        await Assert.ThrowsAsync<TimeoutException>(() => host.Mailbox.ReceiveAsync<JobStatusRequest>(JobTable.Job, "guest", Step.None, Await.Token()).Within());
    }

    [Fact]
    public async Task Call_PeerPresentsAnotherPartysCertificate_ClientRefuses()
    {
        await using var arbiter = await TestParty.StartAsync("arbiter");
        var clientLogs = new LogSink();
        using var client = arbiter.ClientFor("guest", logs: clientLogs, peerName: "host", maxAttempts: 1);

        var e = await Assert.ThrowsAsync<RpcException>(() => client.Health("host").CheckAsync(new HealthCheckRequest()).ResponseAsync.Within());

        // The TLS handshake fails on our side (an AuthenticationException), which Grpc.Net.Client reports as INTERNAL: not retried.
        Assert.Equal(StatusCode.Internal, e.StatusCode);
        Assert.Contains(clientLogs.Entries, l => l.EventId == 2002 && l.Message.Contains("expected 'host'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Propose_PartyThatIsNotATrustedGuest_PermissionDeniedLoggedAndNoStateChange()
    {
        await using var host = await TestParty.StartAsync("host");
        using var client = host.ClientFor("arbiter");
        var proposal = new JobProposal { JobId = "job-2", InitiatorPartyId = "arbiter", Participants = { new Participant { PartyId = "arbiter", Role = PartyRole.Guest } } };

        var e = await Assert.ThrowsAsync<RpcException>(() => client.JobControl("host").ProposeAsync(proposal).ResponseAsync.Within());

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Equal(0, host.Jobs.Proposals);
        Assert.Equal(JobState.Unspecified, host.Jobs.StateOf("job-2"));
        Assert.Contains(host.Logs.Entries, l => l.EventId == 1005 && l.Message.Contains("arbiter", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Propose_TrustedGuest_ReachesHandler()
    {
        await using var host = await TestParty.StartAsync("host");
        using var client = host.ClientFor("guest");
        var proposal = new JobProposal
        {
            JobId = "job-2", InitiatorPartyId = "guest", Spec = "{}", SpecFormat = "json",
            Participants = { new Participant { PartyId = "guest", Role = PartyRole.Guest }, new Participant { PartyId = "host", Role = PartyRole.Host } },
        };

        var acceptance = await client.JobControl("host").ProposeAsync(proposal).ResponseAsync.Within();

        Assert.True(acceptance.Accepted);
        Assert.Equal(JobState.Pending, host.Jobs.StateOf("job-2"));
    }

    [Fact]
    public async Task Propose_InitiatorIsNotTheCaller_PermissionDeniedAndNoStateChange()
    {
        await using var host = await TestParty.StartAsync("host");
        using var client = host.ClientFor("guest");
        var proposal = new JobProposal { JobId = "job-2", InitiatorPartyId = "other", Participants = { new Participant { PartyId = "other", Role = PartyRole.Guest } } };

        var e = await Assert.ThrowsAsync<RpcException>(() => client.JobControl("host").ProposeAsync(proposal).ResponseAsync.Within());

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Equal(0, host.Jobs.Proposals);
    }

    [Fact]
    public async Task Cancel_ParticipantThatIsNotAGuest_PermissionDeniedAndJobStillRunning()
    {
        await using var guest = await TestParty.StartAsync("guest");
        using var client = guest.ClientFor("host");

        var e = await Assert.ThrowsAsync<RpcException>(() =>
            client.JobControl("guest").CancelAsync(new CancelJobRequest { JobId = JobTable.Job }).ResponseAsync.Within());

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Equal(0, guest.Jobs.Cancellations);
        Assert.Equal(JobState.Running, guest.Jobs.StateOf(JobTable.Job));
    }

    [Fact]
    public async Task StatusAndWatch_Participant_GetsJobState()
    {
        await using var guest = await TestParty.StartAsync("guest");
        using var client = guest.ClientFor("host");
        var jobControl = client.JobControl("guest");

        var status = await jobControl.StatusAsync(new JobStatusRequest { JobId = JobTable.Job }).ResponseAsync.Within();
        using var watch = jobControl.WatchJob(new JobStatusRequest { JobId = JobTable.Job });
        var progress = new List<double>();
        while (await watch.ResponseStream.MoveNext(Await.Token()).Within())
            progress.Add(watch.ResponseStream.Current.Progress);

        Assert.Equal(JobState.Running, status.State);
        Assert.Equal(3, progress.Count);
        Assert.Equal(1.0, progress[^1], 6);
    }

    [Fact]
    public async Task Status_UnknownJob_PermissionDeniedForNonParticipant()
    {
        await using var guest = await TestParty.StartAsync("guest");
        using var client = guest.ClientFor("outsider");

        var e = await Assert.ThrowsAsync<RpcException>(() =>
            client.JobControl("guest").StatusAsync(new JobStatusRequest { JobId = JobTable.Job }).ResponseAsync.Within());

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
    }

    [Fact]
    public async Task HealthCheck_AnyAuthenticatedParty_ServingAndUnknownServiceNotFound()
    {
        await using var host = await TestParty.StartAsync("host");
        using var client = host.ClientFor("outsider");
        var health = client.Health("host");

        var party = await health.CheckAsync(new HealthCheckRequest()).ResponseAsync.Within();
        var mailbox = await health.CheckAsync(new HealthCheckRequest { Service = "vfl.v1.Mailbox" }).ResponseAsync.Within();
        var e = await Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(new HealthCheckRequest { Service = "nope" }).ResponseAsync.Within());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, party.Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, mailbox.Status);
        Assert.Equal(StatusCode.NotFound, e.StatusCode);
    }

    [Fact]
    public async Task HealthWatch_StatusChanges_StreamsEachChange()
    {
        await using var host = await TestParty.StartAsync("host");
        using var client = host.ClientFor("guest");
        using var watch = client.Health("host").Watch(new HealthCheckRequest { Service = "vfl.v1.Mailbox" }, deadline: DateTime.UtcNow.AddSeconds(10));

        Assert.True(await watch.ResponseStream.MoveNext(Await.Token()).Within());
        var first = watch.ResponseStream.Current.Status;
        host.Server.Health.SetServing("vfl.v1.Mailbox", false);
        Assert.True(await watch.ResponseStream.MoveNext(Await.Token()).Within());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, first);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, watch.ResponseStream.Current.Status);
    }

    [Fact]
    public async Task InsecureDev_PartyHeader_IdentifiesCallerAndMissingHeaderIsUnauthenticated()
    {
        await using var host = await TestParty.StartAsync("host", insecureDev: true);
        using var client = host.ClientFor("guest");
        using var bare = RawChannel.Create(host.Server.GrpcAddress);

        var ack = await client.DeliverAsync("host", EnvelopeFor(JobTable.Job)).Within();
        var received = await host.Mailbox.ReceiveAsync<JobStatusRequest>(JobTable.Job, "guest", Step.None, Await.Token()).Within();
        var e = await Assert.ThrowsAsync<RpcException>(() => new Health.HealthClient(bare).CheckAsync(new HealthCheckRequest()).ResponseAsync.Within());

        Assert.False(ack.Duplicate);
        Assert.Equal(JobTable.Job, received.JobId);
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.True(host.Logs.Has(1002), "insecure-dev mode logs a warning");
        Assert.True(host.Logs.Has(1004), "the unauthenticated call is logged");
    }

    [Fact]
    public async Task Metrics_AfterDelivery_ServedAsPrometheusTextOnTheMetricsPortOnly()
    {
        await using var host = await TestParty.StartAsync("host");
        using var client = host.ClientFor("guest");
        await client.DeliverAsync("host", EnvelopeFor(JobTable.Job)).Within();
        host.Server.Metrics.SetJobProgress(JobTable.Job, 0.5);
        using var http = new HttpClient();

        string text = await http.GetStringAsync(new Uri(host.Server.MetricsAddress!, "/metrics")).Within();
        var other = await http.GetAsync(new Uri(host.Server.MetricsAddress!, "/other")).Within();

        Assert.Contains("vfl_transport_messages_total{direction=\"received\",method=\"/vfl.v1.Mailbox/Deliver\",peer=\"guest\"} 1", text);
        Assert.Contains("vfl_transport_call_duration_seconds_count{code=\"OK\",method=\"/vfl.v1.Mailbox/Deliver\",peer=\"guest\",side=\"server\"} 1", text);
        Assert.Contains("vfl_transport_call_duration_seconds_count{code=\"OK\",method=\"/vfl.v1.Mailbox/Deliver\",peer=\"host\",side=\"client\"} 1", text);
        Assert.Contains("vfl_job_progress{job_id=\"job-1\"} 0.5", text);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, other.StatusCode);
    }
}
