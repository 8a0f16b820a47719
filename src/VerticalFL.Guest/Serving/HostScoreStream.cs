using System.Collections.Concurrent;
using Grpc.Core;
using VerticalFL.Contracts.V1;
using VerticalFL.Transport.Client;

namespace VerticalFL.Guest.Serving;

/// <summary>
/// The guest's one long-lived Score stream to one host, shared by every request: batches go out one write at a time,
/// replies come back in any order and are matched by request id. When the stream breaks (the host stopped, the
/// connection dropped) every waiting request fails at once with the host named, and the next request opens a new
/// stream, so a host that comes back is used again without anyone's intervention.
/// </summary>
internal sealed class HostScoreStream(string host, FederationClient client) : IDisposable
{
    private readonly object _gate = new();
    private Session? _session;

    public string Host => host;

    private FederationClient Client => client;

    /// <summary>Sends one batch and waits for its reply; <paramref name="ct"/> is the request's deadline.</summary>
    /// <exception cref="ServingFailure">The stream failed (UNAVAILABLE, naming the host).</exception>
    /// <exception cref="OperationCanceledException">The deadline passed first.</exception>
    public async Task<ScoreReply> ScoreAsync(ScoreBatch batch, CancellationToken ct)
    {
        var session = Current();
        var reply = new TaskCompletionSource<ScoreReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        session.Pending[batch.RequestId] = reply;
        try
        {
            await session.WriteAsync(batch);
            using var _ = ct.Register(() => reply.TrySetCanceled(ct));
            return await reply.Task;
        }
        catch (RpcException e)
        {
            throw session.Fail(e);
        }
        catch (InvalidOperationException e)
        {
            // Writing to a call that has already ended.
            throw session.Fail(new RpcException(new Status(StatusCode.Unavailable, e.Message)));
        }
        finally
        {
            session.Pending.TryRemove(batch.RequestId, out _);
        }
    }

    private Session Current()
    {
        lock (_gate)
        {
            if (_session is { Broken: false } live)
                return live;
            _session?.Dispose();
            _session = new Session(this, new Contracts.V1.Serving.ServingClient(client.Invoker(host))
                // No deadline: the stream lives as long as the guest; each request has its own.
                .Score(deadline: DateTime.MaxValue));
            return _session;
        }
    }

    public void Dispose()
    {
        lock (_gate)
            _session?.Dispose();
    }

    private sealed class Session : IDisposable
    {
        private readonly HostScoreStream _owner;
        private readonly AsyncDuplexStreamingCall<ScoreBatch, ScoreReply> _call;
        private readonly SemaphoreSlim _writing = new(1, 1);
        private ServingFailure? _failure;

        public Session(HostScoreStream owner, AsyncDuplexStreamingCall<ScoreBatch, ScoreReply> call)
        {
            _owner = owner;
            _call = call;
            _ = Task.Run(ReadAsync);
        }

        public ConcurrentDictionary<ulong, TaskCompletionSource<ScoreReply>> Pending { get; } = new();

        public bool Broken => _failure is not null;

        public async Task WriteAsync(ScoreBatch batch)
        {
            if (_failure is { } failed)
                throw failed;
            await _writing.WaitAsync();
            try
            {
                // Not cancellable: a write cancelled half way would break the stream for every other request.
                await _call.RequestStream.WriteAsync(batch);
            }
            finally
            {
                _writing.Release();
            }
        }

        /// <summary>Marks the stream broken and fails every waiting request with the same one-line cause.</summary>
        public ServingFailure Fail(RpcException e)
        {
            var failure = _failure ??= new ServingFailure(StatusCode.Unavailable,
                $"{_owner.Host} is not answering: {_owner.Client.Describe(_owner.Host, e)}", _owner.Host);
            foreach (var (id, waiting) in Pending)
                if (Pending.TryRemove(id, out _))
                    waiting.TrySetException(failure);
            return failure;
        }

        private async Task ReadAsync()
        {
            try
            {
                while (await _call.ResponseStream.MoveNext(CancellationToken.None))
                {
                    var reply = _call.ResponseStream.Current;
                    if (Pending.TryRemove(reply.RequestId, out var waiting))
                        waiting.TrySetResult(reply);
                }
                Fail(new RpcException(new Status(StatusCode.Unavailable, "the host ended the stream")));
            }
            catch (RpcException e)
            {
                Fail(e);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
            {
                Fail(new RpcException(new Status(StatusCode.Unavailable, e.Message)));
            }
        }

        public void Dispose() => _call.Dispose();
    }
}
