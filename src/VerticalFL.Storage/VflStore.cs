using VerticalFL.Storage.Repositories;
using VerticalFL.Storage.Sql;

namespace VerticalFL.Storage;

/// <summary>
/// A party's store: jobs, iterations, models, checkpoints, audit trail and known participants.
/// Opening applies any pending migrations. Each party owns its store (its own SQLite file or MySQL
/// database); several processes of the same party may share it. Thread-safe: open it once per
/// process and share it (disposing releases the connection pool).
/// </summary>
public sealed class VflStore : IDisposable
{
    private readonly SqlDialect _dialect;

    private VflStore(StoreConnection connection, Database database)
    {
        Connection = connection;
        _dialect = database.Dialect;
        var jobs = new JobStore(database);
        Jobs = jobs;
        Board = new BoardReader(database, jobs);
        Results = new JobResultStore(database);
        Iterations = new IterationStore(database);
        Models = new ModelStore(database);
        Checkpoints = new CheckpointStore(database);
        Audit = new AuditStore(database);
        Participants = new ParticipantStore(database);
    }

    /// <summary>Where the store lives; its <c>ToString</c> hides passwords.</summary>
    public StoreConnection Connection { get; }

    public IJobStore Jobs { get; private set; }

    /// <summary>Wraps the job store (e.g. to log every transition); call before the store is shared.</summary>
    public void DecorateJobs(Func<IJobStore, IJobStore> decorate) => Jobs = decorate(Jobs);

    public IIterationStore Iterations { get; }

    public IModelStore Models { get; }

    public ICheckpointStore Checkpoints { get; }

    public IAuditStore Audit { get; }

    public IParticipantStore Participants { get; }

    /// <summary>Read-only queries for the board (pages of jobs and audit entries, state history, traffic per peer).</summary>
    public IBoardReader Board { get; }

    /// <summary>Named results of a job at this party (intersection size, ROC points).</summary>
    public IJobResultStore Results { get; }

    /// <summary>Parses <paramref name="connectionString"/> (<c>sqlite:PATH</c> or <c>mysql:…</c>) and opens it.</summary>
    /// <exception cref="FormatException">The connection string is malformed.</exception>
    /// <exception cref="StoreException">The database cannot be reached or migrated.</exception>
    public static Task<VflStore> OpenAsync(string connectionString, CancellationToken cancellationToken = default) =>
        OpenAsync(StoreConnection.Parse(connectionString), cancellationToken);

    /// <summary>Opens the store, creating a SQLite file (and its directory) if needed, and migrates it.</summary>
    /// <exception cref="StoreException">The database cannot be reached or migrated.</exception>
    public static async Task<VflStore> OpenAsync(StoreConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var database = new Database(CreateDialect(connection), TimeProvider.System);
        await new Migrator(database).MigrateAsync(cancellationToken).ConfigureAwait(false);
        return new VflStore(connection, database);
    }

    /// <summary>Releases pooled connections (and so the SQLite file).</summary>
    public void Dispose() => _dialect.ClearPool();

    public override string ToString() => Connection.ToString();

    internal static SqlDialect CreateDialect(StoreConnection connection) => connection.Kind switch
    {
        StoreKind.Sqlite => SqliteDialect.Create(connection.Target),
        StoreKind.MySql => new MySqlDialect(connection),
        _ => throw new ArgumentOutOfRangeException(nameof(connection)),
    };
}
