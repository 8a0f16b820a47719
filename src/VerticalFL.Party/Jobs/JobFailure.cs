using Grpc.Core;
using VerticalFL.Ml.Data;

namespace VerticalFL.Party.Jobs;

/// <summary>Turns an exception into the one-line reason stored with a failed job (never a stack trace, never secrets).</summary>
public static class JobFailure
{
    public static string Describe(Exception e) => e switch
    {
        BadInputException or TimeoutException or InvalidOperationException or ArgumentException or Hosting.PeerUnreachableException => e.Message,
        RpcException rpc => $"a peer call failed: {rpc.Status.StatusCode} {rpc.Status.Detail}",
        AggregateException { InnerExceptions.Count: 1 } aggregate => Describe(aggregate.InnerExceptions[0]),
        IOException io => $"file error: {io.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
