using System.Data.Common;
using Dapper;

namespace VerticalFL.Storage.Sql;

/// <summary>
/// Brings a database to the newest schema. Safe to run on every open and from several processes
/// at once: each migration is applied once, under a lock, and recorded in schema_version.
/// </summary>
internal sealed class Migrator(Database database)
{
    private readonly SqlDialect _dialect = database.Dialect;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var migrations = Migration.Load(_dialect.MigrationFolder);
        await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (await _dialect.LockMigrationsAsync(connection, cancellationToken).ConfigureAwait(false))
        {
            await connection.ExecuteAsync(new CommandDefinition(_dialect.CreateSchemaVersionTable, cancellationToken: cancellationToken))
                .ConfigureAwait(false);
            await RefuseNewerSchemaAsync(connection, migrations[^1].Version, cancellationToken).ConfigureAwait(false);
            foreach (var migration in migrations)
                await ApplyAsync(connection, migration, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The latest version recorded in schema_version (0 for an empty database).</summary>
    public static async Task<int> CurrentVersionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            "SELECT MAX(version) FROM schema_version", cancellationToken: cancellationToken)).ConfigureAwait(false) ?? 0;

    private static async Task RefuseNewerSchemaAsync(DbConnection connection, int latestKnown, CancellationToken cancellationToken)
    {
        var current = await CurrentVersionAsync(connection, cancellationToken).ConfigureAwait(false);
        if (current > latestKnown)
            throw new StoreException(
                $"The store's schema is at version {current}, newer than this build knows ({latestKnown}); upgrade VerticalFL.");
    }

    /// <summary>
    /// Applies one migration unless already recorded. Where DDL is transactional the check, the work and
    /// the record share a transaction; elsewhere the lock serialises and the scripts are re-runnable.
    /// </summary>
    private async Task ApplyAsync(DbConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        await using var transaction = _dialect.TransactionalDdl
            ? await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false)
            : null;
        var applied = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM schema_version WHERE version = @Version", new { migration.Version }, transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (applied > 0)
            return;

        foreach (var statement in migration.Statements)
            await connection.ExecuteAsync(new CommandDefinition(statement, transaction: transaction, cancellationToken: cancellationToken))
                .ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO schema_version (version, name, applied_utc) VALUES (@Version, @Name, @AppliedUtc)",
            new { migration.Version, migration.Name, AppliedUtc = database.UtcNow() }, transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (transaction is not null)
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
