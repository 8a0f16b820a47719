using Dapper;
using VerticalFL.Storage.Sql;
using static VerticalFL.Storage.Sql.Database;

namespace VerticalFL.Storage.Repositories;

internal sealed class IterationStore(Database database) : IIterationStore
{
    public Task AddAsync(IterationRecord iteration, CancellationToken cancellationToken = default) =>
        AddRangeAsync([iteration], cancellationToken);

    public Task AddRangeAsync(IReadOnlyCollection<IterationRecord> iterations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(iterations);
        foreach (var iteration in iterations)
            Validate(iteration);
        var now = database.UtcNow();
        return database.WriteAsync((connection, transaction) => connection.ExecuteAsync(Command(
            "INSERT INTO iterations (job_id, epoch, batch, loss, auc, ks, accuracy, seconds, bytes_sent, bytes_received, recorded_utc) "
            + "VALUES (@JobId, @Epoch, @Batch, @Loss, @Auc, @Ks, @Accuracy, @Seconds, @BytesSent, @BytesReceived, @RecordedUtc)",
            iterations.Select(i => new
            {
                i.JobId, i.Epoch, i.Batch, i.Loss, i.Auc, i.Ks, i.Accuracy, i.Seconds, i.BytesSent, i.BytesReceived, RecordedUtc = now,
            }),
            cancellationToken, transaction)), cancellationToken);
    }

    public async Task<IReadOnlyList<IterationRecord>> ListAsync(string jobId, CancellationToken cancellationToken = default)
    {
        Guard.Id(jobId);
        var rows = await database.RunAsync(connection => connection.QueryAsync<IterationRow>(Command(
            "SELECT job_id AS JobId, epoch AS Epoch, batch AS Batch, loss AS Loss, auc AS Auc, ks AS Ks, accuracy AS Accuracy, "
            + "seconds AS Seconds, bytes_sent AS BytesSent, bytes_received AS BytesReceived FROM iterations WHERE job_id = @JobId ORDER BY id",
            new { JobId = jobId }, cancellationToken)), cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToRecord())];
    }

    private static void Validate(IterationRecord iteration)
    {
        ArgumentNullException.ThrowIfNull(iteration);
        Guard.Id(iteration.JobId);
        Guard.NotNegative(iteration.Epoch);
        Guard.NotNegative(iteration.BytesSent);
        Guard.NotNegative(iteration.BytesReceived);
        if (iteration.Batch is { } batch)
            Guard.NotNegative(batch);
    }

    private sealed class IterationRow
    {
        public string JobId { get; set; } = "";
        public int Epoch { get; set; }
        public int? Batch { get; set; }
        public double? Loss { get; set; }
        public double? Auc { get; set; }
        public double? Ks { get; set; }
        public double? Accuracy { get; set; }
        public double Seconds { get; set; }
        public long BytesSent { get; set; }
        public long BytesReceived { get; set; }

        public IterationRecord ToRecord() =>
            new(JobId, Epoch, Batch, Loss, Auc, Ks, Accuracy, Seconds, BytesSent, BytesReceived);
    }
}
