using System.Data.Common;
using Dapper;
using VerticalFL.Storage.Sql;
using static VerticalFL.Storage.Sql.Database;

namespace VerticalFL.Storage.Repositories;

/// <summary>Appends to a job's state history inside the transaction that changes its state.</summary>
internal static class JobEvents
{
    public static Task RecordAsync(DbConnection connection, DbTransaction transaction, string jobId, JobState state, DateTime atUtc,
        CancellationToken cancellationToken) =>
        connection.ExecuteAsync(Command("INSERT INTO job_events (job_id, state, at_utc) VALUES (@JobId, @State, @AtUtc)",
            new { JobId = jobId, State = Naming.Code(state), AtUtc = atUtc }, cancellationToken, transaction));
}
