using Google.Protobuf;
using VerticalFL.Contracts.V1;
using VerticalFL.Protocol.Channels;

namespace VerticalFL.Protocol.Tests.Mailbox;

/// <summary>
/// Issue 10 finding 7: a peer must not be able to grow another party's memory without bound, neither by
/// flooding one job's mailbox nor by leaving state behind across many jobs.
/// </summary>
[Trait("Category", "Attack")]
public class PartyMailboxLimitsTests
{
    private static readonly Step Step0 = new(0, 0);
    private static readonly string PayloadType = DeliveryAck.Descriptor.FullName;

    private static ByteString Payload(int bytes) => new DeliveryAck { MessageId = new string('x', bytes - 2) }.ToByteString();

    [Fact]
    public void Deliver_SenderFloodsOneJob_RefusedAtTheCapWithNothingQueued()
    {
        var mailbox = new PartyMailbox(TimeSpan.FromSeconds(1), maxQueuedBytesPerSender: 1000);
        var payload = Payload(300);
        int accepted = 0;
        var e = Assert.Throws<MailboxFullException>(() =>
        {
            for (int i = 0; i < 100; i++)
                if (mailbox.Deliver($"m{i}", "job", "flooder", PayloadType, new Step(0, i), payload))
                    accepted++;
        });
        Assert.Equal(1000 / payload.Length, accepted);
        Assert.Contains("flooder", e.Message);
        Assert.Contains("1,000", e.Message);
        Assert.True(mailbox.QueuedBytes("job", "flooder") <= 1000);
        // Another sender and another job have their own allowance.
        Assert.True(mailbox.Deliver("honest/m0", "job", "honest", PayloadType, Step0, payload));
        Assert.True(mailbox.Deliver("m0", "other-job", "flooder", PayloadType, Step0, payload));
    }

    [Fact]
    public async Task ReceiveAsync_FreesTheSendersAllowance()
    {
        var mailbox = new PartyMailbox(TimeSpan.FromSeconds(5), maxQueuedBytesPerSender: 1000);
        var payload = Payload(600);
        Assert.True(mailbox.Deliver("m0", "job", "peer", PayloadType, Step0, payload));
        Assert.Throws<MailboxFullException>(() => mailbox.Deliver("m1", "job", "peer", PayloadType, new Step(0, 1), payload));

        await mailbox.ReceiveAsync<DeliveryAck>("job", "peer", Step0, CancellationToken.None);

        Assert.Equal(0, mailbox.QueuedBytes("job", "peer"));
        // The refused message was not remembered as seen, so its retry is accepted now.
        Assert.True(mailbox.Deliver("m1", "job", "peer", PayloadType, new Step(0, 1), payload));
    }

    [Fact]
    public void ForgetJob_DropsQueuesSeenIdsAndCounts_AndLateDeliveriesStayOut()
    {
        var mailbox = new PartyMailbox(TimeSpan.FromSeconds(1));
        for (int i = 0; i < 10; i++)
            Assert.True(mailbox.Deliver($"m{i}", "job", "peer", PayloadType, new Step(0, i), Payload(50)));
        Assert.NotEqual((0, 0, 0), mailbox.StateOf("job"));

        mailbox.ForgetJob("job");

        Assert.Equal((0, 0, 0), mailbox.StateOf("job"));
        Assert.False(mailbox.Deliver("late", "job", "peer", PayloadType, Step0, Payload(50)));
        Assert.Equal((0, 0, 0), mailbox.StateOf("job"));
    }
}
