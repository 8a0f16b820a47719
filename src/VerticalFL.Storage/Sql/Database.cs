using System.Data.Common;
using Dapper;

namespace VerticalFL.Storage.Sql;

/// <summary>Runs work on a fresh pooled connection, optionally inside a transaction, and stamps times.</summary>
internal sealed class Database(SqlDialect dialect, TimeProvider clock)
{
    public SqlDialect Dialect => dialect;

    /// <summary>Now in UTC, at the microsecond precision both dialects store.</summary>
    public DateTime UtcNow() => Timestamps.Normalize(clock.GetUtcNow().UtcDateTime);

    /// <summary>Runs single-statement work (or reads) on its own connection.</summary>
    public async Task<T> RunAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await work(connection).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="write"/> in a transaction: it commits only if <paramref name="write"/> returns.</summary>
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> write, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        // SQLite begins IMMEDIATE: taking the write lock up front avoids a deadlock on lock upgrade.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var result = await write(connection, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    public Task WriteAsync(Func<DbConnection, DbTransaction, Task> write, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await write(connection, transaction).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>A Dapper command; keeps call sites short.</summary>
    public static CommandDefinition Command(string sql, object? parameters, CancellationToken cancellationToken, DbTransaction? transaction = null) =>
        new(sql, parameters, transaction, cancellationToken: cancellationToken);
}
