using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using VerticalFL.Transport.Metrics;
using VerticalFL.Transport.Server;

namespace VerticalFL.Transport.Client;

/// <summary>
/// Applied to every outgoing call to one peer: a deadline when the caller gave none, gzip for large
/// unary requests, the dev party header in insecure-dev mode, and metrics for unary calls.
/// </summary>
internal sealed class ClientCallInterceptor(string self, string peer, FederationClientOptions options, TransportMetrics? metrics) : Interceptor
{
    private const string CompressionHeader = "grpc-internal-encoding-request";

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        int size = request is IMessage message ? message.CalculateSize() : 0;
        var call = continuation(request, WithDefaults(context, compress: options.GzipMinBytes is { } min && size >= min));
        return new AsyncUnaryCall<TResponse>(
            Observe(call.ResponseAsync, context.Method.FullName, size), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithDefaults(context, compress: false));

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncClientStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(WithDefaults(context, compress: false));

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithDefaults(context, compress: false));

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(WithDefaults(context, compress: false));

    private ClientInterceptorContext<TRequest, TResponse> WithDefaults<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, bool compress)
        where TRequest : class where TResponse : class
    {
        var callOptions = context.Options;
        if (callOptions.Deadline is null)
            callOptions = callOptions.WithDeadline(DateTime.UtcNow + options.CallTimeout);
        if (compress || options.InsecureDev)
        {
            var headers = new Metadata();
            foreach (var entry in callOptions.Headers ?? [])
                headers.Add(entry);
            if (compress)
                headers.Add(CompressionHeader, "gzip");
            if (options.InsecureDev)
                headers.Add(CallerIdentity.DevPartyHeader, self);
            callOptions = callOptions.WithHeaders(headers);
        }
        return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, callOptions);
    }

    private async Task<TResponse> Observe<TResponse>(Task<TResponse> response, string method, int requestBytes)
    {
        long start = Stopwatch.GetTimestamp();
        var code = StatusCode.OK;
        try
        {
            var result = await response;
            metrics?.CountMessage(Direction.Sent, method, peer, requestBytes);
            metrics?.CountMessage(Direction.Received, method, peer, result is IMessage m ? m.CalculateSize() : 0);
            return result;
        }
        catch (RpcException e)
        {
            code = e.StatusCode;
            throw;
        }
        finally
        {
            metrics?.RecordCall("client", method, peer, code.ToString(), Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
    }
}
