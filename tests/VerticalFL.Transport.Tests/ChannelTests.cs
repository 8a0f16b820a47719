using VerticalFL.Contracts.V1;
using VerticalFL.Protocol.Channels;
using VerticalFL.Transport.Client;
using VerticalFL.Transport.Tests.Infrastructure;

namespace VerticalFL.Transport.Tests;

/// <summary>GrpcPartyChannel between two real party servers: what protocol code will use.</summary>
public sealed class ChannelTests
{
    [Fact]
    public async Task SendAndReceive_TwoServers_MessagesArriveTypedInStepAndAreCounted()
    {
        await using var guest = await TestParty.StartAsync("guest");
        await using var host = await TestParty.StartAsync("host");
        using var guestClient = host.ClientFor("guest");
        using var hostClient = guest.ClientFor("host");
        var guestChannel = guestClient.OpenChannel(JobTable.Job, guest.Mailbox);
        var hostChannel = hostClient.OpenChannel(JobTable.Job, host.Mailbox);
        var sent = new List<SentMessage>();
        guestClient.MessageSent += sent.Add;

        await guestChannel.SendAsync("host", new JobStatusRequest { JobId = "ping" }, Step.Of(3, 4), Await.Token()).Within();
        await guestChannel.SendAsync("host", new JobStatusRequest { JobId = "ping-2" }, Step.Of(3, 4), Await.Token()).Within();
        var first = await hostChannel.ReceiveAsync<JobStatusRequest>("guest", Step.Of(3, 4), Await.Token()).Within();
        var second = await hostChannel.ReceiveAsync<JobStatusRequest>("guest", Step.Of(3, 4), Await.Token()).Within();
        await hostChannel.SendAsync("guest", new JobStatusReply { JobId = "pong" }, Await.Token()).Within();
        var reply = await guestChannel.ReceiveAsync<JobStatusReply>("host", Await.Token()).Within();

        Assert.Equal(("ping", "ping-2", "pong"), (first.JobId, second.JobId, reply.JobId));
        Assert.Equal("guest", guestChannel.Self);
        Assert.Equal(2, sent.Count);
        Assert.All(sent, m => Assert.Equal(("host", JobTable.Job, "vfl.v1.JobStatusRequest", Step.Of(3, 4), 1), (m.Peer, m.JobId, m.PayloadType, m.Step, m.Attempts)));
        Assert.Equal(new PeerTraffic(2, sent.Sum(m => m.Bytes)), guestClient.Traffic("host"));
        await Assert.ThrowsAsync<TimeoutException>(() => hostChannel.ReceiveAsync<JobStatusRequest>("guest", Step.Of(3, 5), Await.Token()).Within());
    }

    [Fact]
    public async Task SendAsync_UnknownPeer_ThrowsArgumentException()
    {
        await using var host = await TestParty.StartAsync("host");
        using var client = host.ClientFor("guest");
        var channel = client.OpenChannel(JobTable.Job, new PartyMailbox(TimeSpan.FromSeconds(1)));

        var e = await Assert.ThrowsAsync<ArgumentException>(() => channel.SendAsync("arbiter", new JobStatusRequest(), Step.None).Within());

        Assert.Contains("arbiter", e.Message);
    }
}
