using System.Collections.Concurrent;

namespace VerticalFL.Host;

/// <summary>
/// Jobs waiting for the host operator's decision (<c>policy.require_approval</c>). A job's work waits here before
/// it does anything; <c>vfl job approve|decline</c> (<see cref="HostOperatorService"/>) completes the wait.
/// </summary>
internal sealed class HostApprovals
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string?>> _gates = new();

    /// <summary>Whether the job has been proposed under approval and not yet decided.</summary>
    public bool IsAwaiting(string jobId) => _gates.TryGetValue(jobId, out var gate) && !gate.Task.IsCompleted;

    /// <summary>Waits for the operator; throws with the refusal when declined or when <paramref name="timeout"/> passes.</summary>
    public async Task WaitAsync(string self, string jobId, TimeSpan timeout, CancellationToken ct)
    {
        var gate = Gate(jobId);
        string? declined;
        try
        {
            declined = await gate.Task.WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
            gate.TrySetResult("no decision in time");
            throw new InvalidOperationException(
                $"not approved by {self}'s operator within policy.approval_timeout_seconds ({timeout.TotalSeconds:0} s)");
        }
        finally
        {
            _gates.TryRemove(jobId, out _);
        }
        if (declined is not null)
            throw new InvalidOperationException($"declined by {self}'s operator: {declined}");
    }

    /// <summary>Puts a job under approval (before it is recorded, so the operator can never find it undecided and unknown).</summary>
    public void Open(string jobId) => Gate(jobId);

    /// <summary>Drops a job that was not accepted after all.</summary>
    public void Forget(string jobId) => _gates.TryRemove(jobId, out _);

    /// <summary>Marks the job approved; false if it is not awaiting a decision.</summary>
    public bool Approve(string jobId) => _gates.TryGetValue(jobId, out var gate) && gate.TrySetResult(null);

    /// <summary>Marks the job declined with the operator's reason; false if it is not awaiting a decision.</summary>
    public bool Decline(string jobId, string reason) =>
        _gates.TryGetValue(jobId, out var gate) && gate.TrySetResult(string.IsNullOrWhiteSpace(reason) ? "no reason given" : reason);

    private TaskCompletionSource<string?> Gate(string jobId) =>
        _gates.GetOrAdd(jobId, _ => new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously));
}
