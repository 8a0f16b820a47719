using Dapper;
using VerticalFL.Storage.Sql;
using static VerticalFL.Storage.Sql.Database;

namespace VerticalFL.Storage.Repositories;

internal sealed class BoardReader(Database database, JobStore jobs) : IBoardReader
{
    private const int MaxPage = 500;

    /// <summary>Jobs stored before version 2 of the schema have no kind row: they were all training jobs or were written as such.</summary>
    private const string DefaultKind = "train";

    public async Task<JobPage> ListJobsAsync(JobListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is < 1 or > MaxPage)
            throw new ArgumentOutOfRangeException(nameof(query), query.Limit, $"A page holds 1 to {MaxPage} jobs.");
        var where = new List<string>();
        if (query.State is not null) where.Add("state = @State");
        if (query.Kind is not null)
            where.Add(query.Kind == DefaultKind
                ? "id NOT IN (SELECT job_id FROM job_kinds WHERE kind <> @Kind)"
                : "id IN (SELECT job_id FROM job_kinds WHERE kind = @Kind)");
        // Keyset paging on the list's own order: (created_utc, id) strictly below the cursor.
        if (query.After is not null) where.Add("(created_utc < @AfterCreated OR (created_utc = @AfterCreated AND id < @AfterId))");
        var sql = $"{JobStore.SelectJobs}{(where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where))} "
            + "ORDER BY created_utc DESC, id DESC LIMIT @Limit";
        var page = await jobs.QueryAsync(sql, new
        {
            State = query.State is { } s ? Naming.Code(s) : null,
            query.Kind,
            AfterCreated = query.After is { } a ? Timestamps.Normalize(a.CreatedUtc) : default,
            AfterId = query.After?.Id,
            Limit = query.Limit + 1,
        }, cancellationToken).ConfigureAwait(false);
        var shown = page.Take(query.Limit).ToList();
        var kinds = await KindsAsync(shown.Select(j => j.Id).ToArray(), cancellationToken).ConfigureAwait(false);
        var next = page.Count > query.Limit ? new JobCursor(shown[^1].CreatedUtc, shown[^1].Id) : null;
        return new JobPage([.. shown.Select(j => new JobListItem(j, kinds.GetValueOrDefault(j.Id, DefaultKind)))], next);
    }

    public async Task<string?> KindAsync(string jobId, CancellationToken cancellationToken = default)
    {
        Guard.Id(jobId);
        if (await jobs.GetAsync(jobId, cancellationToken).ConfigureAwait(false) is null)
            return null;
        var kinds = await KindsAsync([jobId], cancellationToken).ConfigureAwait(false);
        return kinds.GetValueOrDefault(jobId, DefaultKind);
    }

    public async Task<IReadOnlyList<JobEvent>> EventsAsync(string jobId, CancellationToken cancellationToken = default)
    {
        Guard.Id(jobId);
        var rows = await database.RunAsync(connection => connection.QueryAsync<EventRow>(Command(
            "SELECT state AS State, at_utc AS AtUtc FROM job_events WHERE job_id = @JobId ORDER BY id",
            new { JobId = jobId }, cancellationToken)), cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => new JobEvent(Naming.Parse<JobState>(r.State), Timestamps.FromStore(r.AtUtc)))];
    }

    public async Task<AuditPage> AuditPageAsync(string jobId, long afterId, int limit, CancellationToken cancellationToken = default)
    {
        Guard.Id(jobId);
        Guard.NotNegative(afterId);
        if (limit is < 1 or > MaxPage)
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"A page holds 1 to {MaxPage} entries.");
        var rows = (await database.RunAsync(connection => connection.QueryAsync<AuditRow>(Command(
            "SELECT id AS Id, job_id AS JobId, direction AS Direction, message_type AS MessageType, peer AS Peer, "
            + "size_bytes AS SizeBytes, at_utc AS AtUtc FROM audit WHERE job_id = @JobId AND id > @AfterId ORDER BY id LIMIT @Limit",
            new { JobId = jobId, AfterId = afterId, Limit = limit + 1 }, cancellationToken)), cancellationToken).ConfigureAwait(false)).ToList();
        var shown = rows.Take(limit).Select(r => r.ToRecord()).ToList();
        return new AuditPage(shown, rows.Count > limit ? shown[^1].Id : null);
    }

    public async Task<IReadOnlyList<PeerTraffic>> TrafficAsync(string jobId, CancellationToken cancellationToken = default)
    {
        Guard.Id(jobId);
        var rows = await database.RunAsync(connection => connection.QueryAsync<TrafficRow>(Command(
            "SELECT peer AS Peer, direction AS Direction, COUNT(*) AS Messages, SUM(size_bytes) AS Bytes FROM audit "
            + "WHERE job_id = @JobId GROUP BY peer, direction ORDER BY peer, direction",
            new { JobId = jobId }, cancellationToken)), cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => new PeerTraffic(r.Peer, Naming.Parse<AuditDirection>(r.Direction), r.Messages, r.Bytes))];
    }

    public async Task<IReadOnlyList<ModelRecord>> ModelsAsync(string jobId, CancellationToken cancellationToken = default)
    {
        Guard.Id(jobId);
        var rows = await database.RunAsync(connection => connection.QueryAsync<ModelRow>(Command(
            "SELECT m.job_id AS JobId, m.party_id AS PartyId, m.role AS Role, m.version AS Version, m.format AS Format, "
            + "m.content AS Content, m.created_utc AS CreatedUtc FROM models m WHERE m.job_id = @JobId AND m.version = "
            + "(SELECT MAX(v.version) FROM models v WHERE v.job_id = m.job_id AND v.party_id = m.party_id) ORDER BY m.party_id",
            new { JobId = jobId }, cancellationToken)), cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToRecord())];
    }

    private async Task<Dictionary<string, string>> KindsAsync(string[] jobIds, CancellationToken cancellationToken)
    {
        if (jobIds.Length == 0) return [];
        var rows = await database.RunAsync(connection => connection.QueryAsync<(string JobId, string Kind)>(Command(
            "SELECT job_id, kind FROM job_kinds WHERE job_id IN @Ids", new { Ids = jobIds }, cancellationToken)), cancellationToken)
            .ConfigureAwait(false);
        return rows.ToDictionary(r => r.JobId, r => r.Kind, StringComparer.Ordinal);
    }

    private sealed class EventRow
    {
        public string State { get; set; } = "";
        public DateTime AtUtc { get; set; }
    }

    private sealed class TrafficRow
    {
        public string Peer { get; set; } = "";
        public string Direction { get; set; } = "";
        public long Messages { get; set; }
        public long Bytes { get; set; }
    }

    private sealed class AuditRow
    {
        public long Id { get; set; }
        public string JobId { get; set; } = "";
        public string Direction { get; set; } = "";
        public string MessageType { get; set; } = "";
        public string Peer { get; set; } = "";
        public long SizeBytes { get; set; }
        public DateTime AtUtc { get; set; }

        public AuditRecord ToRecord() => new(Id,
            new AuditEntry(JobId, Naming.Parse<AuditDirection>(Direction), MessageType, Peer, SizeBytes, Timestamps.FromStore(AtUtc)));
    }

    private sealed class ModelRow
    {
        public string JobId { get; set; } = "";
        public string PartyId { get; set; } = "";
        public string Role { get; set; } = "";
        public int Version { get; set; }
        public string Format { get; set; } = "";
        public string Content { get; set; } = "";
        public DateTime CreatedUtc { get; set; }

        public ModelRecord ToRecord() =>
            new(JobId, PartyId, Naming.Parse<PartyRole>(Role), Version, Format, Content, Timestamps.FromStore(CreatedUtc));
    }
}
