using Dapper;
using VerticalFL.Storage.Sql;
using static VerticalFL.Storage.Sql.Database;

namespace VerticalFL.Storage.Repositories;

internal sealed class ModelStore(Database database) : IModelStore
{
    private const int MaxFormatLength = 64;

    private const string SelectModels =
        "SELECT job_id AS JobId, party_id AS PartyId, role AS Role, version AS Version, format AS Format, content AS Content, "
        + "created_utc AS CreatedUtc FROM models WHERE job_id = @JobId AND party_id = @PartyId";

    public async Task<ModelRecord> SaveAsync(NewModel model, CancellationToken cancellationToken = default)
    {
        Validate(model);
        var now = database.UtcNow();
        var version = await database.WriteAsync(async (connection, transaction) =>
        {
            var next = await connection.ExecuteScalarAsync<int>(Command(
                "SELECT COALESCE(MAX(version), 0) + 1 FROM models WHERE job_id = @JobId AND party_id = @PartyId",
                new { model.JobId, model.PartyId }, cancellationToken, transaction)).ConfigureAwait(false);
            await connection.ExecuteAsync(Command(
                "INSERT INTO models (job_id, party_id, role, version, format, content, created_utc) "
                + "VALUES (@JobId, @PartyId, @Role, @Version, @Format, @Content, @CreatedUtc)",
                new { model.JobId, model.PartyId, Role = Naming.Code(model.Role), Version = next, model.Format, model.Content, CreatedUtc = now },
                cancellationToken, transaction)).ConfigureAwait(false);
            return next;
        }, cancellationToken).ConfigureAwait(false);
        return new ModelRecord(model.JobId, model.PartyId, model.Role, version, model.Format, model.Content, now);
    }

    public Task<ModelRecord?> GetLatestAsync(string jobId, string partyId, CancellationToken cancellationToken = default)
    {
        Guard.Id(jobId);
        Guard.Id(partyId);
        return QuerySingleAsync($"{SelectModels} ORDER BY version DESC LIMIT 1", new { JobId = jobId, PartyId = partyId }, cancellationToken);
    }

    public Task<ModelRecord?> GetAsync(string jobId, string partyId, int version, CancellationToken cancellationToken = default)
    {
        Guard.Id(jobId);
        Guard.Id(partyId);
        return QuerySingleAsync($"{SelectModels} AND version = @Version", new { JobId = jobId, PartyId = partyId, Version = version }, cancellationToken);
    }

    private async Task<ModelRecord?> QuerySingleAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        var row = await database.RunAsync(connection => connection.QuerySingleOrDefaultAsync<ModelRow>(
            Command(sql, parameters, cancellationToken)), cancellationToken).ConfigureAwait(false);
        return row?.ToRecord();
    }

    private static void Validate(NewModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Guard.Id(model.JobId);
        Guard.Id(model.PartyId);
        Guard.Text(model.Format, MaxFormatLength);
        ArgumentNullException.ThrowIfNull(model.Content);
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
