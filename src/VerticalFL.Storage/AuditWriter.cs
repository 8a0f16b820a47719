using System.Threading.Channels;
using VerticalFL.Storage.Repositories;

namespace VerticalFL.Storage;

/// <summary>
/// Records audit entries cheaply from the message path: <see cref="Record"/> only queues, and a
/// background loop inserts whatever has queued up in batches. <see cref="FlushAsync"/> waits until
/// everything recorded before it is stored; disposing flushes. If a batch cannot be written, that
/// failure is reported by every later <see cref="FlushAsync"/> and by <see cref="DisposeAsync"/>.
/// </summary>
public sealed class AuditWriter : IAsyncDisposable
{
    private readonly IAuditStore _store;
    private readonly int _batchSize;
    private readonly Channel<Item> _queue = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _pump;
    private volatile Exception? _failure;

    /// <param name="batchSize">Most entries per insert transaction.</param>
    public AuditWriter(IAuditStore store, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        _store = store;
        _batchSize = batchSize;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Queues one entry; it is validated now so a bad entry cannot sink a batch later.</summary>
    /// <exception cref="ObjectDisposedException">The writer has been disposed.</exception>
    public void Record(AuditEntry entry)
    {
        AuditStore.Validate(entry);
        Enqueue(new Item(entry, null));
    }

    /// <summary>Completes when every entry recorded before this call is stored.</summary>
    /// <exception cref="InvalidOperationException">Some entries could not be stored.</exception>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(new Item(null, flushed));
        await flushed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        ThrowIfFailed();
    }

    /// <summary>Stores what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _pump.ConfigureAwait(false);
        ThrowIfFailed();
    }

    private void Enqueue(Item item)
    {
        if (!_queue.Writer.TryWrite(item))
            throw new ObjectDisposedException(nameof(AuditWriter));
    }

    private void ThrowIfFailed()
    {
        if (_failure is { } failure)
            throw new InvalidOperationException("Some audit entries could not be stored; see the inner exception.", failure);
    }

    private async Task PumpAsync()
    {
        var batch = new List<AuditEntry>(_batchSize);
        var flushes = new List<TaskCompletionSource>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < _batchSize && _queue.Reader.TryRead(out var item))
            {
                if (item.Entry is { } entry)
                    batch.Add(entry);
                else
                    flushes.Add(item.Flushed!);
            }
            await WriteAsync(batch).ConfigureAwait(false);
            batch.Clear();
            flushes.ForEach(f => f.TrySetResult());
            flushes.Clear();
        }
    }

    private async Task WriteAsync(List<AuditEntry> batch)
    {
        if (batch.Count == 0)
            return;
        try
        {
            await _store.AppendAsync(batch).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _failure ??= e;
        }
    }

    /// <summary>Either an entry to store or a flush waiting for everything queued before it.</summary>
    private readonly record struct Item(AuditEntry? Entry, TaskCompletionSource? Flushed);
}
