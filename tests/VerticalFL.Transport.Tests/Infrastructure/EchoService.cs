using Grpc.Core;
using VerticalFL.Transport.Tests.Echo;

namespace VerticalFL.Transport.Tests.Infrastructure;

/// <summary>The test service: one method per call kind; it reports cancellations it observes.</summary>
internal sealed class EchoService(EchoProbe probe) : Echo.Echo.EchoBase
{
    public static readonly string[] Methods = ["/vfltest.Echo/Unary", "/vfltest.Echo/Collect", "/vfltest.Echo/Repeat", "/vfltest.Echo/Chat"];

    public override async Task<EchoReply> Unary(EchoRequest request, ServerCallContext context)
    {
        await Wait(request.DelayMs, context);
        return new EchoReply { Text = request.Text, RequestEncoding = context.GetHttpContext().Request.Headers["grpc-encoding"].ToString() };
    }

    public override async Task<EchoReply> Collect(IAsyncStreamReader<EchoRequest> requestStream, ServerCallContext context)
    {
        var texts = new List<string>();
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
            texts.Add(request.Text);
        return new EchoReply { Text = string.Join(",", texts), Index = texts.Count };
    }

    public override async Task Repeat(EchoRequest request, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        for (int i = 0; i < request.Count; i++)
        {
            await responseStream.WriteAsync(new EchoReply { Text = request.Text, Index = i }, context.CancellationToken);
            await Wait(request.DelayMs, context);
        }
    }

    public override async Task Chat(IAsyncStreamReader<EchoRequest> requestStream, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        int index = 0;
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
            await responseStream.WriteAsync(new EchoReply { Text = request.Text.ToUpperInvariant(), Index = index++ }, context.CancellationToken);
    }

    private async Task Wait(int delayMs, ServerCallContext context)
    {
        if (delayMs <= 0)
            return;
        try
        {
            await Task.Delay(delayMs, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            probe.Cancelled.TrySetResult();
            throw;
        }
    }
}

/// <summary>What the echo service saw, for assertions.</summary>
internal sealed class EchoProbe
{
    public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
