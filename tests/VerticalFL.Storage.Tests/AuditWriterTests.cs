namespace VerticalFL.Storage.Tests;

public sealed class AuditWriterTests
{
    [Fact]
    public void AuditEntry_Properties_CannotCarryAPayload()
    {
        // The audit API describes messages; nothing in it may hold message bytes or arbitrary objects.
        var types = typeof(AuditEntry).GetProperties().Select(p => p.PropertyType).ToList();

        Assert.All(types, t => Assert.Contains(t, new[] { typeof(string), typeof(long), typeof(DateTime), typeof(AuditDirection) }));
        Assert.Equal(6, types.Count);
    }

    [Fact]
    public async Task FlushAsync_StoreFails_ThrowsWithCause()
    {
        var store = new FailingAuditStore();
        var writer = new AuditWriter(store);
        writer.Record(Entry());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => writer.FlushAsync());

        Assert.IsType<TimeoutException>(error.InnerException);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await writer.DisposeAsync());
    }

    [Fact]
    public async Task Record_AfterDispose_ThrowsObjectDisposed()
    {
        var writer = new AuditWriter(new FailingAuditStore());
        await writer.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(() => writer.Record(Entry()));
    }

    [Fact]
    public async Task Record_InvalidEntry_ThrowsAtOnce()
    {
        await using var writer = new AuditWriter(new FailingAuditStore());

        Assert.Throws<ArgumentException>(() => writer.Record(Entry() with { Peer = "" }));
    }

    private static AuditEntry Entry() =>
        new("job-1", AuditDirection.Sent, "vfl.v1.MaskedGradient", "arbiter", 512, DateTime.UtcNow);

    /// <summary>A store whose every insert fails, as a lost database connection would.</summary>
    private sealed class FailingAuditStore : IAuditStore
    {
        public Task AppendAsync(IReadOnlyCollection<AuditEntry> entries, CancellationToken cancellationToken = default) =>
            Task.FromException(new TimeoutException("database unreachable"));

        public Task<IReadOnlyList<AuditEntry>> ListAsync(string jobId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<AuditEntry>>([]);
    }
}
