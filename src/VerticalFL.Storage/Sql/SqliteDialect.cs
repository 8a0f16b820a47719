using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace VerticalFL.Storage.Sql;

/// <summary>
/// An embedded SQLite file. WAL mode lets readers run beside one writer, and a busy timeout makes
/// a few processes sharing the file wait for each other instead of failing.
/// </summary>
internal sealed class SqliteDialect : SqlDialect
{
    private const int BusyTimeoutMilliseconds = 10_000;
    private readonly string _connectionString;

    private readonly string _path;

    /// <summary>A dialect for the file at <paramref name="fullPath"/>, creating its directory.</summary>
    public static SqliteDialect Create(string fullPath)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"Could not create the directory for the store sqlite:{fullPath}: {e.Message}", e);
        }
        return new SqliteDialect(fullPath);
    }

    private SqliteDialect(string fullPath)
    {
        _path = fullPath;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public override string MigrationFolder => "sqlite";

    public override bool TransactionalDdl => true;

    public override string CreateSchemaVersionTable =>
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_utc TEXT NOT NULL)";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await connection.ExecuteAsync($"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}").ConfigureAwait(false);
            return connection;
        }
        catch (SqliteException e)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new StoreException($"Could not open the store sqlite:{_path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Migrations run in BEGIN IMMEDIATE transactions, which already serialise writers; this only
    /// switches the file to WAL (persistent, and impossible inside a transaction).
    /// </summary>
    public override async Task<IAsyncDisposable> LockMigrationsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode = WAL", cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        return NoLock.Instance;
    }

    public override string OnConflictUpdate(string[] keyColumns, string[] updatedColumns) =>
        $"ON CONFLICT ({string.Join(", ", keyColumns)}) DO UPDATE SET "
        + string.Join(", ", updatedColumns.Select(c => $"{c} = excluded.{c}"));

    // SQLITE_CONSTRAINT_PRIMARYKEY and SQLITE_CONSTRAINT_UNIQUE.
    public override bool IsDuplicateKey(Exception exception) =>
        exception is SqliteException { SqliteExtendedErrorCode: 1555 or 2067 };

    public override void ClearPool()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
