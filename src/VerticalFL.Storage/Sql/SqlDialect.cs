using System.Data.Common;

namespace VerticalFL.Storage.Sql;

/// <summary>What differs between SQLite and MySQL: connecting, locking for migrations, a few statements.</summary>
internal abstract class SqlDialect
{
    /// <summary>Folder under Migrations/ holding this dialect's scripts.</summary>
    public abstract string MigrationFolder { get; }

    /// <summary>Whether DDL can run inside a transaction (MySQL commits implicitly on DDL).</summary>
    public abstract bool TransactionalDdl { get; }

    public abstract string CreateSchemaVersionTable { get; }

    /// <summary>Opens a ready-to-use connection; failures never mention a password.</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Serialises migrations across processes until the result is disposed.</summary>
    public abstract Task<IAsyncDisposable> LockMigrationsAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>The clause that turns an INSERT into an upsert on its primary key.</summary>
    public abstract string OnConflictUpdate(string[] keyColumns, string[] updatedColumns);

    /// <summary>Whether <paramref name="exception"/> reports a duplicate primary or unique key.</summary>
    public abstract bool IsDuplicateKey(Exception exception);

    /// <summary>Closes pooled connections so the database (or file) is released.</summary>
    public abstract void ClearPool();

    /// <summary>An INSERT of <paramref name="keyColumns"/> and <paramref name="updatedColumns"/> (as @PascalCase parameters) that updates on a key clash.</summary>
    public string Upsert(string table, string[] keyColumns, string[] updatedColumns)
    {
        string[] columns = [.. keyColumns, .. updatedColumns];
        var parameters = columns.Select(c => "@" + Naming.Pascal(c));
        return $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", parameters)}) "
            + OnConflictUpdate(keyColumns, updatedColumns);
    }
}
