using Dapper;
using VerticalFL.Storage.Sql;
using static VerticalFL.Storage.Sql.Database;

namespace VerticalFL.Storage.Repositories;

internal sealed class JobResultStore(Database database) : IJobResultStore
{
    private readonly string _upsert = database.Dialect.Upsert("job_results", ["job_id", "name"], ["content", "created_utc"]);

    public Task SaveAsync(string jobId, string name, string content, CancellationToken cancellationToken = default)
    {
        Guard.Id(jobId);
        Guard.Id(name);
        ArgumentNullException.ThrowIfNull(content);
        return database.RunAsync(connection => connection.ExecuteAsync(Command(_upsert,
            new { JobId = jobId, Name = name, Content = content, CreatedUtc = database.UtcNow() }, cancellationToken)), cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, string>> ListAsync(string jobId, CancellationToken cancellationToken = default)
    {
        Guard.Id(jobId);
        var rows = await database.RunAsync(connection => connection.QueryAsync<(string Name, string Content)>(Command(
            "SELECT name, content FROM job_results WHERE job_id = @JobId ORDER BY name", new { JobId = jobId }, cancellationToken)),
            cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Name, r => r.Content, StringComparer.Ordinal);
    }
}
