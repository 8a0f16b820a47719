using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using VerticalFL.Transport.Metrics;
using VerticalFL.Transport.Security;

namespace VerticalFL.Transport.Server;

/// <summary>
/// Runs in front of every gRPC method of a party: authenticates the caller (UNAUTHENTICATED),
/// asks the <see cref="IPartyAuthorizer"/> (PERMISSION_DENIED) before any handler code runs, and
/// records messages, bytes and latency per method and peer.
/// </summary>
internal sealed class PartyCallInterceptor(
    CallerIdentity identity, IPartyAuthorizer authorizer, TransportMetrics metrics, ILogger<PartyCallInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var peer = await AdmitAsync(context, JobIds.Of(request));
        Count(Direction.Received, context, peer, request);
        return await Timed(context, peer, async () =>
        {
            var response = await continuation(request, context);
            Count(Direction.Sent, context, peer, response);
            return response;
        });
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var peer = await AdmitAsync(context, jobId: null);
        return await Timed(context, peer, async () =>
        {
            var response = await continuation(Reader(requestStream, context, peer), context);
            Count(Direction.Sent, context, peer, response);
            return response;
        });
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var peer = await AdmitAsync(context, JobIds.Of(request));
        Count(Direction.Received, context, peer, request);
        await Timed(context, peer, async () =>
        {
            await continuation(request, Writer(responseStream, context, peer), context);
            return true;
        });
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var peer = await AdmitAsync(context, jobId: null);
        await Timed(context, peer, async () =>
        {
            await continuation(Reader(requestStream, context, peer), Writer(responseStream, context, peer), context);
            return true;
        });
    }

    private async Task<string> AdmitAsync(ServerCallContext context, string? jobId)
    {
        var remote = context.GetHttpContext().Connection.RemoteIpAddress?.ToString();
        var party = identity.Resolve(context, out var why);
        if (party is null)
        {
            ServerLog.Unauthenticated(logger, context.Method, remote, why);
            throw new RpcException(new Status(StatusCode.Unauthenticated, why));
        }
        var decision = await authorizer.AuthorizeAsync(new AuthorizationRequest(party, context.Method, jobId), context.CancellationToken);
        if (!decision.IsAllowed)
        {
            ServerLog.Denied(logger, context.Method, party, jobId, decision.Reason);
            throw new RpcException(new Status(StatusCode.PermissionDenied, decision.Reason));
        }
        return party;
    }

    private async Task<T> Timed<T>(ServerCallContext context, string peer, Func<Task<T>> call)
    {
        long start = Stopwatch.GetTimestamp();
        var code = StatusCode.OK;
        try
        {
            return await call();
        }
        catch (RpcException e)
        {
            code = e.StatusCode;
            throw;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            code = StatusCode.Cancelled;
            throw;
        }
        catch
        {
            code = StatusCode.Unknown;
            throw;
        }
        finally
        {
            metrics.RecordCall("server", context.Method, peer, code.ToString(), Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
    }

    private void Count(string direction, ServerCallContext context, string peer, object message) =>
        metrics.CountMessage(direction, context.Method, peer, message is IMessage m ? m.CalculateSize() : 0);

    private CountingReader<T> Reader<T>(IAsyncStreamReader<T> inner, ServerCallContext context, string peer) =>
        new(inner, m => Count(Direction.Received, context, peer, m!));

    private CountingWriter<T> Writer<T>(IServerStreamWriter<T> inner, ServerCallContext context, string peer) =>
        new(inner, m => Count(Direction.Sent, context, peer, m!));

    private sealed class CountingReader<T>(IAsyncStreamReader<T> inner, Action<T> onMessage) : IAsyncStreamReader<T>
    {
        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            bool more = await inner.MoveNext(cancellationToken);
            if (more)
                onMessage(inner.Current);
            return more;
        }
    }

    private sealed class CountingWriter<T>(IServerStreamWriter<T> inner, Action<T> onMessage) : IServerStreamWriter<T>
    {
        public WriteOptions? WriteOptions
        {
            get => inner.WriteOptions;
            set => inner.WriteOptions = value;
        }

        public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

        public async Task WriteAsync(T message, CancellationToken cancellationToken)
        {
            await inner.WriteAsync(message, cancellationToken);
            onMessage(message);
        }
    }
}
