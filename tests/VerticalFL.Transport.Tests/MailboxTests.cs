using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using VerticalFL.Contracts.V1;
using VerticalFL.Protocol.Channels;
using VerticalFL.Transport.Client;
using VerticalFL.Transport.Tests.Infrastructure;

namespace VerticalFL.Transport.Tests;

/// <summary>Envelope delivery: identity from the certificate, per-envelope authorization, size limits, retries applied once.</summary>
public sealed class MailboxTests
{
    private static Envelope EnvelopeFor(string jobId, string text = "x", int payloadBytes = 0) => new()
    {
        MessageId = Guid.NewGuid().ToString("N"), JobId = jobId, PayloadType = "vfl.v1.JobStatusReply",
        Epoch = 1, Batch = 2,
        Payload = new JobStatusReply { JobId = jobId, Message = text + new string('p', payloadBytes) }.ToByteString(),
    };

    private static Task<JobStatusReply> Receive(TestParty party, string from, string jobId = JobTable.Job) =>
        party.Mailbox.ReceiveAsync<JobStatusReply>(jobId, from, Step.Of(1, 2), Await.Token()).Within();

    [Fact]
    public async Task Deliver_Participant_QueuedUnderTheCertificatesPartyNotTheEnvelopes()
    {
        await using var host = await TestParty.StartAsync("host");
        using var client = host.ClientFor("guest");
        var envelope = EnvelopeFor(JobTable.Job, "hi");
        envelope.Sender = "arbiter";

        var ack = await client.DeliverAsync("host", envelope).Within();
        var received = await Receive(host, "guest");

        Assert.Equal(envelope.MessageId, ack.MessageId);
        Assert.False(ack.Duplicate);
        Assert.Equal("hi", received.Message);
        await Assert.ThrowsAsync<TimeoutException>(() => Receive(host, "arbiter"));
    }

    [Fact]
    public async Task DeliverStream_ManyEnvelopes_AckedInOrderAndQueued()
    {
        await using var host = await TestParty.StartAsync("host");
        using var client = host.ClientFor("guest");
        using var call = client.Mailbox("host").DeliverStream();
        var envelopes = Enumerable.Range(0, 20).Select(i => EnvelopeFor(JobTable.Job, i.ToString())).ToList();

        var acks = new List<string>();
        var reading = Task.Run(async () =>
        {
            while (await call.ResponseStream.MoveNext(Await.Token()))
                acks.Add(call.ResponseStream.Current.MessageId);
        });
        foreach (var envelope in envelopes)
            await call.RequestStream.WriteAsync(envelope).Within();
        await call.RequestStream.CompleteAsync().Within();
        await reading.Within();

        Assert.Equal(envelopes.Select(e => e.MessageId), acks);
        for (int i = 0; i < 20; i++)
            Assert.Equal(i.ToString(), (await Receive(host, "guest")).Message);
    }

    [Fact]
    public async Task Deliver_PartyOutsideTheJob_PermissionDeniedAndNothingQueued()
    {
        await using var host = await TestParty.StartAsync("host");
        using var client = host.ClientFor("outsider", maxAttempts: 1);

        var e = await Assert.ThrowsAsync<RpcException>(() => client.DeliverAsync("host", EnvelopeFor(JobTable.Job)).Within());

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.True(host.Logs.Has(1005));
        await Assert.ThrowsAsync<TimeoutException>(() => Receive(host, "outsider"));
    }

    [Fact]
    public async Task DeliverStream_EnvelopeOfAJobTheSenderIsNotIn_EndsStreamAndIsNotQueued()
    {
        await using var host = await TestParty.StartAsync("host");
        using var client = host.ClientFor("guest");
        using var call = client.Mailbox("host").DeliverStream();

        await call.RequestStream.WriteAsync(EnvelopeFor(JobTable.Job, "allowed")).Within();
        Assert.True(await call.ResponseStream.MoveNext(Await.Token()).Within());
        await call.RequestStream.WriteAsync(EnvelopeFor("someone-elses-job", "denied")).Within();
        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(Await.Token()).Within());

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Equal("allowed", (await Receive(host, "guest")).Message);
        await Assert.ThrowsAsync<TimeoutException>(() => Receive(host, "guest", "someone-elses-job"));
    }

    [Fact]
    public async Task Deliver_EnvelopeLargerThanTheServerLimit_ResourceExhaustedNotRetriedNotQueued()
    {
        await using var host = await TestParty.StartAsync("host", maxMessageBytes: 64 * 1024);
        var clientLogs = new LogSink();
        using var client = host.ClientFor("guest", logs: clientLogs);

        var e = await Assert.ThrowsAsync<RpcException>(() => client.DeliverAsync("host", EnvelopeFor(JobTable.Job, payloadBytes: 100 * 1024)).Within());

        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.False(clientLogs.Has(2001), "a size error is not retried");
        await Assert.ThrowsAsync<TimeoutException>(() => Receive(host, "guest"));
    }

    /// <summary>
    /// Kestrel's own request-body cap (30,000,000 bytes) sat below the transport's message limit: a 31–64 MiB unary
    /// Deliver died inside Kestrel and the sender saw "Unknown: Exception was thrown by handler" (a 300-feature CKKS
    /// release request did). Under the limit must arrive; over it must be RESOURCE_EXHAUSTED with the reason.
    /// </summary>
    [Fact]
    public async Task Deliver_EnvelopeOverKestrelsDefaultBodyCap_ButUnderTheLimit_Arrives_AndOverTheLimit_SaysWhy()
    {
        await using var host = await TestParty.StartAsync("host", maxMessageBytes: 40 * 1024 * 1024);
        using var client = host.ClientFor("guest", callTimeout: TimeSpan.FromSeconds(60));

        var ack = await client.DeliverAsync("host", EnvelopeFor(JobTable.Job, "big", payloadBytes: 33_000_000)).Within();
        Assert.False(ack.Duplicate);
        var received = await Receive(host, "guest");
        Assert.Equal(3 + 33_000_000, received.Message.Length);

        var e = await Assert.ThrowsAsync<RpcException>(() => client.DeliverAsync("host", EnvelopeFor(JobTable.Job, payloadBytes: 42 * 1024 * 1024)).Within());
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.Contains("maximum configured message size", e.Status.Detail);
        Assert.Contains("larger than the transport allows", client.Describe("host", e));
    }

    [Fact]
    public async Task Deliver_WithoutMessageId_InvalidArgument()
    {
        await using var host = await TestParty.StartAsync("host");
        using var client = host.ClientFor("guest");
        var envelope = EnvelopeFor(JobTable.Job);
        envelope.MessageId = "";

        var e = await Assert.ThrowsAsync<RpcException>(() => client.Mailbox("host").DeliverAsync(envelope).ResponseAsync.Within());

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
    }

    [Fact]
    public async Task DeliverAsync_FirstResponseLost_RetriedWithTheSameIdAndAppliedOnce()
    {
        var loseFirst = new LoseFirstResponse();
        await using var host = await TestParty.StartAsync("host", extraInterceptor: loseFirst);
        var clientLogs = new LogSink();
        using var client = host.ClientFor("guest", logs: clientLogs);
        var sent = new List<SentMessage>();
        client.MessageSent += sent.Add;

        var ack = await client.DeliverAsync("host", EnvelopeFor(JobTable.Job, "once")).Within();

        Assert.Equal(2, loseFirst.Calls);
        Assert.True(ack.Duplicate, "the second attempt found the message already applied");
        Assert.True(clientLogs.Has(2001));
        Assert.Equal("once", (await Receive(host, "guest")).Message);
        await Assert.ThrowsAsync<TimeoutException>(() => Receive(host, "guest"));
        Assert.Equal(2, Assert.Single(sent).Attempts);
    }

    [Fact]
    public async Task DeliverAsync_PeerDown_RetriesWithBackoffThenUnavailable()
    {
        var host = await TestParty.StartAsync("host");
        var clientLogs = new LogSink();
        using var client = host.ClientFor("guest", maxAttempts: 3, logs: clientLogs);
        await host.DisposeAsync();

        var e = await Assert.ThrowsAsync<RpcException>(() => client.DeliverAsync("host", EnvelopeFor(JobTable.Job)).Within());

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Equal(2, clientLogs.Entries.Count(l => l.EventId == 2001));
    }

    [Fact]
    public async Task DeliverStream_ClientDiesMidStream_DeliveredEnvelopesKeptAndServerStillServes()
    {
        await using var host = await TestParty.StartAsync("host");
        using (var dying = host.ClientFor("guest"))
        {
            var call = dying.Mailbox("host").DeliverStream();
            await call.RequestStream.WriteAsync(EnvelopeFor(JobTable.Job, "before")).Within();
            Assert.True(await call.ResponseStream.MoveNext(Await.Token()).Within());
            call.Dispose(); // the client goes away without completing the stream
        }
        using var client = host.ClientFor("guest");

        var ack = await client.DeliverAsync("host", EnvelopeFor(JobTable.Job, "after")).Within();

        Assert.False(ack.Duplicate);
        Assert.Equal("before", (await Receive(host, "guest")).Message);
        Assert.Equal("after", (await Receive(host, "guest")).Message);
    }

    [Fact]
    public async Task DeliverStream_IdleLongerThanReceiveTimeout_EndsWithDeadlineExceeded()
    {
        await using var host = await TestParty.StartAsync("host", receiveTimeout: TimeSpan.FromMilliseconds(300));
        using var client = host.ClientFor("guest");
        using var call = client.Mailbox("host").DeliverStream();
        await call.RequestStream.WriteAsync(EnvelopeFor(JobTable.Job)).Within();
        Assert.True(await call.ResponseStream.MoveNext(Await.Token()).Within());

        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(Await.Token()).Within());

        Assert.Equal(StatusCode.DeadlineExceeded, e.StatusCode);
    }

    /// <summary>Applies the first Deliver, then pretends its response was lost on the way back.</summary>
    private sealed class LoseFirstResponse : Interceptor
    {
        private int _calls;

        public int Calls => _calls;

        public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
            TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        {
            var response = await continuation(request, context);
            if (Interlocked.Increment(ref _calls) == 1)
                throw new RpcException(new Status(StatusCode.Unavailable, "response lost (test)"));
            return response;
        }
    }
}
