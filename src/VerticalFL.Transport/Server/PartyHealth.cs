using System.Collections.Concurrent;
using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace VerticalFL.Transport.Server;

/// <summary>
/// The serving status reported by grpc.health.v1.Health: "" is the party as a whole, other keys
/// are fully qualified service names (e.g. <c>vfl.v1.Mailbox</c>).
/// </summary>
public sealed class PartyHealth
{
    private readonly ConcurrentDictionary<string, ServingStatus> _status = new(StringComparer.Ordinal);

    internal event Action<string, ServingStatus>? Changed;

    public void SetServing(string service, bool serving)
    {
        var status = serving ? ServingStatus.Serving : ServingStatus.NotServing;
        if (_status.TryGetValue(service, out var old) && old == status)
            return;
        _status[service] = status;
        Changed?.Invoke(service, status);
    }

    /// <summary>Marks every known service (and the party) as not serving, e.g. while shutting down.</summary>
    public void SetAllNotServing()
    {
        foreach (var service in _status.Keys)
            SetServing(service, false);
    }

    internal ServingStatus? Get(string service) => _status.TryGetValue(service, out var status) ? status : null;
}

/// <summary>grpc.health.v1.Health over <see cref="PartyHealth"/>.</summary>
internal sealed class HealthService(PartyHealth health) : Health.HealthBase
{
    public override Task<HealthCheckResponse> Check(HealthCheckRequest request, Grpc.Core.ServerCallContext context) =>
        health.Get(request.Service) is { } status
            ? Task.FromResult(new HealthCheckResponse { Status = status })
            : throw new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.NotFound, $"unknown service '{request.Service}'"));

    public override async Task Watch(HealthCheckRequest request, Grpc.Core.IServerStreamWriter<HealthCheckResponse> responseStream, Grpc.Core.ServerCallContext context)
    {
        var changes = System.Threading.Channels.Channel.CreateUnbounded<ServingStatus>();
        void OnChanged(string service, ServingStatus status)
        {
            if (service == request.Service)
                changes.Writer.TryWrite(status);
        }
        health.Changed += OnChanged;
        try
        {
            changes.Writer.TryWrite(health.Get(request.Service) ?? ServingStatus.ServiceUnknown);
            await foreach (var status in changes.Reader.ReadAllAsync(context.CancellationToken))
                await responseStream.WriteAsync(new HealthCheckResponse { Status = status }, context.CancellationToken);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The watcher hung up: the normal end of Watch.
        }
        finally
        {
            health.Changed -= OnChanged;
        }
    }
}
