using Grpc.Core;
using VerticalFL.Transport.Tests.Echo;
using VerticalFL.Transport.Tests.Infrastructure;

namespace VerticalFL.Transport.Tests;

/// <summary>All four gRPC call kinds, deadlines, cancellation and a dying peer, over real mTLS on loopback.</summary>
public sealed class CallKindsTests
{
    [Fact]
    public async Task Unary_ValidPeer_Echoes()
    {
        await using var host = await TestParty.StartAsync("host");
        using var client = host.ClientFor("guest");
        var echo = new Echo.Echo.EchoClient(client.Invoker("host"));

        var reply = await echo.UnaryAsync(new EchoRequest { Text = "hello" }).ResponseAsync.Within();

        Assert.Equal("hello", reply.Text);
        Assert.Equal("", reply.RequestEncoding);
    }

    [Fact]
    public async Task Unary_RequestAboveGzipThreshold_SentCompressed()
    {
        await using var host = await TestParty.StartAsync("host");
        using var client = host.ClientFor("guest", gzipMinBytes: 1000);
        var echo = new Echo.Echo.EchoClient(client.Invoker("host"));

        var small = await echo.UnaryAsync(new EchoRequest { Text = "short" }).ResponseAsync.Within();
        var large = await echo.UnaryAsync(new EchoRequest { Text = new string('a', 5000) }).ResponseAsync.Within();

        Assert.Equal("", small.RequestEncoding);
        Assert.Equal("gzip", large.RequestEncoding);
        Assert.Equal(5000, large.Text.Length);
    }

    [Fact]
    public async Task ClientStreaming_ThreeMessages_ServerGetsAllInOrder()
    {
        await using var host = await TestParty.StartAsync("host");
        using var client = host.ClientFor("guest");
        using var call = new Echo.Echo.EchoClient(client.Invoker("host")).Collect();

        foreach (var text in new[] { "a", "b", "c" })
            await call.RequestStream.WriteAsync(new EchoRequest { Text = text }).Within();
        await call.RequestStream.CompleteAsync().Within();
        var reply = await call.ResponseAsync.Within();

        Assert.Equal("a,b,c", reply.Text);
        Assert.Equal(3, reply.Index);
    }

    [Fact]
    public async Task ServerStreaming_CountFive_StreamsFiveInOrder()
    {
        await using var host = await TestParty.StartAsync("host");
        using var client = host.ClientFor("guest");
        using var call = new Echo.Echo.EchoClient(client.Invoker("host")).Repeat(new EchoRequest { Text = "x", Count = 5 });

        var indexes = new List<int>();
        while (await call.ResponseStream.MoveNext(Await.Token()).Within())
            indexes.Add(call.ResponseStream.Current.Index);

        Assert.Equal([0, 1, 2, 3, 4], indexes);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task DuplexStreaming_Messages_AnsweredInOrder()
    {
        await using var host = await TestParty.StartAsync("host");
        using var client = host.ClientFor("guest");
        using var call = new Echo.Echo.EchoClient(client.Invoker("host")).Chat();

        var replies = new List<string>();
        foreach (var text in new[] { "one", "two", "three" })
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Text = text }).Within();
            Assert.True(await call.ResponseStream.MoveNext(Await.Token()).Within());
            replies.Add(call.ResponseStream.Current.Text);
        }
        await call.RequestStream.CompleteAsync().Within();

        Assert.False(await call.ResponseStream.MoveNext(Await.Token()).Within());
        Assert.Equal(["ONE", "TWO", "THREE"], replies);
    }

    [Fact]
    public async Task Unary_DeadlineShorterThanWork_DeadlineExceededAndServerCancelled()
    {
        await using var host = await TestParty.StartAsync("host");
        using var client = host.ClientFor("guest");
        var echo = new Echo.Echo.EchoClient(client.Invoker("host"));
        await echo.UnaryAsync(new EchoRequest { Text = "connect first" }).ResponseAsync.Within();

        var e = await Assert.ThrowsAsync<RpcException>(() => echo.UnaryAsync(
            new EchoRequest { Text = "slow", DelayMs = 10_000 }, deadline: DateTime.UtcNow.AddMilliseconds(500)).ResponseAsync.Within());

        Assert.Equal(StatusCode.DeadlineExceeded, e.StatusCode);
        await host.Probe.Cancelled.Task.Within();
    }

    [Fact]
    public async Task Unary_DefaultDeadline_AppliedWhenCallerGivesNone()
    {
        await using var host = await TestParty.StartAsync("host");
        using var client = host.ClientFor("guest", callTimeout: TimeSpan.FromMilliseconds(300));
        var echo = new Echo.Echo.EchoClient(client.Invoker("host"));

        var e = await Assert.ThrowsAsync<RpcException>(() => echo.UnaryAsync(new EchoRequest { DelayMs = 10_000 }).ResponseAsync.Within());

        Assert.Equal(StatusCode.DeadlineExceeded, e.StatusCode);
    }

    [Fact]
    public async Task Unary_ClientCancels_CancelledAndServerObservesIt()
    {
        await using var host = await TestParty.StartAsync("host");
        using var client = host.ClientFor("guest");
        var echo = new Echo.Echo.EchoClient(client.Invoker("host"));
        await echo.UnaryAsync(new EchoRequest { Text = "connect first" }).ResponseAsync.Within();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        var e = await Assert.ThrowsAsync<RpcException>(() => echo.UnaryAsync(
            new EchoRequest { DelayMs = 10_000 }, cancellationToken: cancel.Token).ResponseAsync.Within());

        Assert.Equal(StatusCode.Cancelled, e.StatusCode);
        await host.Probe.Cancelled.Task.Within();
    }

    [Fact]
    public async Task ServerStreaming_ServerDiesMidStream_ClientFailsInsteadOfHanging()
    {
        var host = await TestParty.StartAsync("host");
        using var client = host.ClientFor("guest");
        using var call = new Echo.Echo.EchoClient(client.Invoker("host")).Repeat(new EchoRequest { Count = 1000, DelayMs = 50 });
        Assert.True(await call.ResponseStream.MoveNext(Await.Token()).Within());

        await host.DisposeAsync();
        var e = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext(Await.Token()).Within())
            {
            }
        });

        Assert.Contains(e.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal, StatusCode.Cancelled, StatusCode.Aborted });
    }
}
