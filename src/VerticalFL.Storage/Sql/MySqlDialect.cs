using System.Data.Common;
using Dapper;
using MySqlConnector;

namespace VerticalFL.Storage.Sql;

/// <summary>MySQL or MariaDB through MySqlConnector. DDL commits implicitly, so migrations are written to be re-runnable.</summary>
internal sealed class MySqlDialect(StoreConnection connection) : SqlDialect
{
    /// <summary>How long an opener waits for another process's migration, in seconds.</summary>
    private const int MigrationLockSeconds = 60;

    public override string MigrationFolder => "mysql";

    public override bool TransactionalDdl => false;

    public override string CreateSchemaVersionTable =>
        "CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL, "
        + "applied_utc DATETIME(6) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var mysql = new MySqlConnection(connection.Target);
        try
        {
            await mysql.OpenAsync(cancellationToken).ConfigureAwait(false);
            return mysql;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await mysql.DisposeAsync().ConfigureAwait(false);
            throw Redaction.Wrap($"Could not connect to the store {connection}", e, connection.Secrets);
        }
    }

    /// <summary>
    /// A named server lock per database, held by this connection until disposed. Notes are muted
    /// meanwhile: re-runnable DDL ("table already exists") raises them, and they would only fill the log.
    /// </summary>
    public override async Task<IAsyncDisposable> LockMigrationsAsync(DbConnection db, CancellationToken cancellationToken)
    {
        var got = await db.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT GET_LOCK(CONCAT('vfl_migrate:', DATABASE()), @Seconds)", new { Seconds = MigrationLockSeconds },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (got != 1)
            throw new StoreException($"Timed out after {MigrationLockSeconds} s waiting for another process to migrate the store {connection}.");
        await db.ExecuteAsync("SET SESSION sql_notes = 0").ConfigureAwait(false);
        return new NamedLock(db);
    }

    public override string OnConflictUpdate(string[] keyColumns, string[] updatedColumns) =>
        "ON DUPLICATE KEY UPDATE " + string.Join(", ", updatedColumns.Select(c => $"{c} = VALUES({c})"));

    // ER_DUP_ENTRY.
    public override bool IsDuplicateKey(Exception exception) => exception is MySqlException { Number: 1062 };

    public override void ClearPool()
    {
        using var mysql = new MySqlConnection(connection.Target);
        MySqlConnection.ClearPool(mysql);
    }

    private sealed class NamedLock(DbConnection db) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await db.ExecuteAsync("SET SESSION sql_notes = 1").ConfigureAwait(false);
            await db.ExecuteScalarAsync<long?>("SELECT RELEASE_LOCK(CONCAT('vfl_migrate:', DATABASE()))").ConfigureAwait(false);
        }
    }
}
