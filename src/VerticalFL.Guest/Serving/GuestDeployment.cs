using VerticalFL.Contracts.V1;
using VerticalFL.Protocol.Models;
using VerticalFL.Protocol.Serving;

namespace VerticalFL.Guest.Serving;

/// <summary>
/// One version of a deployment at the guest: the guest's model part, its own rows scored by id, the hosts, and how
/// many requests are using it, so that a replaced version is unloaded at the hosts only after its last request ended.
/// </summary>
internal sealed class GuestDeployment(
    string name, string modelJob, IReadOnlyList<string> hosts, bool allowFallback, DateTimeOffset deployedAt, GuestModelPart model,
    ReloadingTable table)
{
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private int _retired;

    public string Name => name;
    public string ModelJob => modelJob;
    public IReadOnlyList<string> Hosts => hosts;
    public bool AllowFallback => allowFallback;
    public DateTimeOffset DeployedAt => deployedAt;
    public GuestModelPart Model => model;
    public ReloadingTable Table => table;

    /// <summary>Counts a request in; false when the version has been retired (the caller takes the new one).</summary>
    public bool TryEnter()
    {
        Interlocked.Increment(ref _inFlight);
        if (Volatile.Read(ref _retired) == 0)
            return true;
        Exit();
        return false;
    }

    public void Exit()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0 && Volatile.Read(ref _retired) == 1)
            _drained.TrySetResult();
    }

    /// <summary>No new request may enter; completes when those already in have left.</summary>
    public Task RetireAsync()
    {
        Interlocked.Exchange(ref _retired, 1);
        if (Volatile.Read(ref _inFlight) == 0)
            _drained.TrySetResult();
        return _drained.Task;
    }

    public Deployment ToWire() => new()
    {
        Name = name,
        ModelJobId = modelJob,
        Hosts = { hosts },
        AllowGuestOnlyFallback = allowFallback,
        DeployedUnixMs = deployedAt.ToUnixTimeMilliseconds(),
        GuestRows = table.Current.Count,
    };
}
