using Dapper;
using VerticalFL.Storage.Sql;
using static VerticalFL.Storage.Sql.Database;

namespace VerticalFL.Storage.Repositories;

internal sealed class AuditStore(Database database) : IAuditStore
{
    private const int MaxMessageTypeLength = 200;

    public Task AppendAsync(IReadOnlyCollection<AuditEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
            Validate(entry);
        if (entries.Count == 0)
            return Task.CompletedTask;
        return database.WriteAsync((connection, transaction) => connection.ExecuteAsync(Command(
            "INSERT INTO audit (job_id, direction, message_type, peer, size_bytes, at_utc) "
            + "VALUES (@JobId, @Direction, @MessageType, @Peer, @SizeBytes, @AtUtc)",
            entries.Select(e => new
            {
                e.JobId, Direction = Naming.Code(e.Direction), e.MessageType, e.Peer, e.SizeBytes, AtUtc = Timestamps.Normalize(e.AtUtc),
            }),
            cancellationToken, transaction)), cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(string jobId, CancellationToken cancellationToken = default)
    {
        Guard.Id(jobId);
        var rows = await database.RunAsync(connection => connection.QueryAsync<AuditRow>(Command(
            "SELECT job_id AS JobId, direction AS Direction, message_type AS MessageType, peer AS Peer, size_bytes AS SizeBytes, "
            + "at_utc AS AtUtc FROM audit WHERE job_id = @JobId ORDER BY id",
            new { JobId = jobId }, cancellationToken)), cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToEntry())];
    }

    internal static void Validate(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        Guard.Id(entry.JobId);
        Guard.Id(entry.Peer);
        Guard.Text(entry.MessageType, MaxMessageTypeLength);
        Guard.NotNegative(entry.SizeBytes);
    }

    private sealed class AuditRow
    {
        public string JobId { get; set; } = "";
        public string Direction { get; set; } = "";
        public string MessageType { get; set; } = "";
        public string Peer { get; set; } = "";
        public long SizeBytes { get; set; }
        public DateTime AtUtc { get; set; }

        public AuditEntry ToEntry() =>
            new(JobId, Naming.Parse<AuditDirection>(Direction), MessageType, Peer, SizeBytes, Timestamps.FromStore(AtUtc));
    }
}
