using System.Data.Common;
using Dapper;
using VerticalFL.Storage.Sql;
using VerticalFL.Storage.Tests.Fixtures;

namespace VerticalFL.Storage.Tests;

/// <summary>
/// The repository test suite. Every test runs against each dialect through a derived class
/// (<see cref="SqliteStoreTests"/>, <see cref="MariaDbStoreTests"/>).
/// </summary>
public abstract class StoreContractTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>, IAsyncLifetime
    where TFixture : class, IDatabaseFixture
{
    private VflStore? _store;

    protected TFixture Fixture => fixture;

    protected VflStore Store => _store ?? throw new InvalidOperationException("The store is not open.");

    public async Task InitializeAsync() => _store = await VflStore.OpenAsync(fixture.Shared);

    public Task DisposeAsync()
    {
        _store?.Dispose();
        return Task.CompletedTask;
    }

    // ---- migrations ----

    [Fact]
    public async Task OpenAsync_FreshDatabase_AppliesEveryMigration()
    {
        var connectionString = await fixture.CreateDatabaseAsync();

        using (await VflStore.OpenAsync(connectionString)) { }

        var expected = Migration.Load(DialectOf(connectionString).MigrationFolder).Select(m => m.Version);
        Assert.Equal(expected, await QueryAsync<int>(connectionString, "SELECT version FROM schema_version ORDER BY version"));
        foreach (var table in new[] { "jobs", "job_parties", "iterations", "models", "checkpoints", "audit", "participants" })
            Assert.Equal(0, await ScalarAsync<long>(connectionString, $"SELECT COUNT(*) FROM {table}"));
    }

    [Fact]
    public async Task OpenAsync_Reopened_KeepsSchemaVersionsAndData()
    {
        var connectionString = await fixture.CreateDatabaseAsync();
        using (var first = await VflStore.OpenAsync(connectionString))
            await first.Jobs.CreateAsync(NewJob());
        var versions = await QueryAsync<int>(connectionString, "SELECT version FROM schema_version ORDER BY version");

        using (var second = await VflStore.OpenAsync(connectionString))
            Assert.Single(await second.Jobs.ListAsync());

        Assert.Equal(versions, await QueryAsync<int>(connectionString, "SELECT version FROM schema_version ORDER BY version"));
    }

    [Fact]
    public async Task OpenAsync_ConcurrentOpens_ApplyEachMigrationOnce()
    {
        var connectionString = await fixture.CreateDatabaseAsync();

        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => VflStore.OpenAsync(connectionString))));
        foreach (var store in stores)
            store.Dispose();

        var migrations = Migration.Load(DialectOf(connectionString).MigrationFolder).Count;
        Assert.Equal(migrations, await ScalarAsync<long>(connectionString, "SELECT COUNT(*) FROM schema_version"));
    }

    [Fact]
    public async Task OpenAsync_SchemaNewerThanBuild_ThrowsStoreException()
    {
        var connectionString = await fixture.CreateDatabaseAsync();
        using (await VflStore.OpenAsync(connectionString)) { }
        await ExecuteAsync(connectionString,
            "INSERT INTO schema_version (version, name, applied_utc) VALUES (9999, 'future', '2030-01-01 00:00:00')");

        var error = await Assert.ThrowsAsync<StoreException>(() => VflStore.OpenAsync(connectionString));

        Assert.Contains("newer", error.Message);
    }

    // ---- jobs ----

    [Fact]
    public async Task CreateAsync_NewJob_RoundTripsEveryField()
    {
        var job = NewJob();

        var created = await Store.Jobs.CreateAsync(job);
        var stored = await Store.Jobs.GetAsync(job.Id);

        Assert.NotNull(stored);
        Assert.Equal((job.Id, job.Role, job.Initiator, job.Spec), (stored.Id, stored.Role, stored.Initiator, stored.Spec));
        Assert.Equal(job.Participants.OrderBy(p => p.PartyId), stored.Participants);
        Assert.Equal((JobState.Pending, (string?)null, 0, 0.0), (stored.State, stored.Reason, stored.Epoch, stored.Progress));
        Assert.Equal(created.CreatedUtc, stored.CreatedUtc);
        Assert.Equal(DateTimeKind.Utc, stored.CreatedUtc.Kind);
        Assert.InRange(stored.CreatedUtc, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task CreateAsync_DuplicateId_ThrowsAndKeepsOriginal()
    {
        var job = NewJob();
        await Store.Jobs.CreateAsync(job);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.Jobs.CreateAsync(job with { Spec = "other" }));

        Assert.Equal(job.Spec, (await Store.Jobs.GetAsync(job.Id))!.Spec);
    }

    [Fact]
    public async Task CreateAsync_DuplicateParticipant_ThrowsAndStoresNothing()
    {
        var job = NewJob() with { Participants = [new("guest-1", PartyRole.Guest), new("guest-1", PartyRole.Host)] };

        await Assert.ThrowsAsync<ArgumentException>(() => Store.Jobs.CreateAsync(job));

        Assert.Null(await Store.Jobs.GetAsync(job.Id));
    }

    [Fact]
    public async Task WriteAsync_WorkFailsAfterInserting_LeavesNoRows()
    {
        var database = new Database(DialectOf(fixture.Shared), TimeProvider.System);
        var jobId = NewId();

        await Assert.ThrowsAsync<TimeoutException>(() => database.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(
                "INSERT INTO jobs (id, role, initiator, spec, state, created_utc, updated_utc) "
                + "VALUES (@Id, 'guest', 'g', '', 'pending', '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
                new { Id = jobId }, transaction);
            await connection.ExecuteAsync(
                "INSERT INTO job_parties (job_id, party_id, role) VALUES (@Id, 'g', 'guest')", new { Id = jobId }, transaction);
            throw new TimeoutException("simulated failure after two inserts");
        }, CancellationToken.None));

        Assert.Null(await Store.Jobs.GetAsync(jobId));
        Assert.Equal(0, await ScalarAsync<long>(fixture.Shared, $"SELECT COUNT(*) FROM job_parties WHERE job_id = '{jobId}'"));
    }

    [Fact]
    public async Task TransitionAsync_LegalPath_ReachesSucceeded()
    {
        var job = await Store.Jobs.CreateAsync(NewJob());

        await Store.Jobs.TransitionAsync(job.Id, JobState.Pending, JobState.Psi);
        await Store.Jobs.TransitionAsync(job.Id, JobState.Psi, JobState.Training);
        await Store.Jobs.TransitionAsync(job.Id, JobState.Training, JobState.Evaluating);
        var done = await Store.Jobs.TransitionAsync(job.Id, JobState.Evaluating, JobState.Succeeded, "auc 0.81");

        Assert.Equal((JobState.Succeeded, "auc 0.81"), (done.State, done.Reason));
        Assert.True(done.UpdatedUtc >= done.CreatedUtc);
        Assert.Equal(done, await Store.Jobs.GetAsync(job.Id), JobComparer);
    }

    [Fact]
    public async Task ListByInitiatorAsync_OnlyThatInitiatorsJobs_CreatedSinceTheGivenTime()
    {
        string guest = $"g-{Guid.NewGuid():N}";
        var before = DateTime.UtcNow.AddMinutes(-1);
        var first = await Store.Jobs.CreateAsync(NewJob() with { Initiator = guest, Participants = [new(guest, PartyRole.Guest)] });
        var second = await Store.Jobs.CreateAsync(NewJob() with { Initiator = guest, Participants = [new(guest, PartyRole.Guest)] });
        await Store.Jobs.CreateAsync(NewJob());   // another initiator's

        var listed = await Store.Jobs.ListByInitiatorAsync(guest, before);

        Assert.Equal(new[] { first.Id, second.Id }.Order(), listed.Select(j => j.Id).Order());
        Assert.All(listed, j => Assert.Equal(guest, j.Initiator));
        Assert.Empty(await Store.Jobs.ListByInitiatorAsync(guest, DateTime.UtcNow.AddMinutes(1)));
    }

    [Fact]
    public async Task NoteAsync_ActiveJob_SetsTheReasonAndKeepsTheState()
    {
        var job = await Store.Jobs.CreateAsync(NewJob());

        await Store.Jobs.NoteAsync(job.Id, "awaiting approval by host-1's operator");

        var stored = await Store.Jobs.GetAsync(job.Id);
        Assert.Equal((JobState.Pending, "awaiting approval by host-1's operator"), (stored!.State, stored.Reason));
    }

    [Fact]
    public async Task NoteAsync_EndedJob_ThrowsAndChangesNothing()
    {
        var job = await CreateInStateAsync(JobState.Failed);

        await Assert.ThrowsAsync<JobTransitionException>(() => Store.Jobs.NoteAsync(job.Id, "late note"));

        Assert.Equal(job, await Store.Jobs.GetAsync(job.Id), JobComparer);
    }

    [Theory]
    [InlineData(JobState.Pending, JobState.Training)]
    [InlineData(JobState.Pending, JobState.Succeeded)]
    [InlineData(JobState.Psi, JobState.Pending)]
    [InlineData(JobState.Psi, JobState.Evaluating)]
    public async Task TransitionAsync_NotAllowedMove_ThrowsAndChangesNothing(JobState from, JobState to)
    {
        var job = await CreateInStateAsync(from);

        var error = await Assert.ThrowsAsync<JobTransitionException>(() => Store.Jobs.TransitionAsync(job.Id, from, to));

        Assert.Equal(to, error.Requested);
        Assert.Equal(job, await Store.Jobs.GetAsync(job.Id), JobComparer);
    }

    [Fact]
    public async Task TransitionAsync_StaleExpectedState_ThrowsWithActualStateAndChangesNothing()
    {
        var job = await CreateInStateAsync(JobState.Training);

        var error = await Assert.ThrowsAsync<JobTransitionException>(
            () => Store.Jobs.TransitionAsync(job.Id, JobState.Psi, JobState.Training));

        Assert.Equal(JobState.Training, error.Actual);
        Assert.Contains("training", error.Message);
        Assert.Equal(job, await Store.Jobs.GetAsync(job.Id), JobComparer);
    }

    [Fact]
    public async Task TransitionAsync_RacingSameMove_ExactlyOneWins()
    {
        var job = await Store.Jobs.CreateAsync(NewJob());

        var attempts = Enumerable.Range(0, 8)
            .Select(_ => Task.Run(() => Store.Jobs.TransitionAsync(job.Id, JobState.Pending, JobState.Psi)))
            .ToList();
        var outcome = await Task.WhenAll(attempts.Select(async a =>
        {
            try { await a; return "won"; }
            catch (JobTransitionException) { return "refused"; }
        }));

        Assert.Equal(1, outcome.Count(o => o == "won"));
        Assert.Equal(7, outcome.Count(o => o == "refused"));
        Assert.Equal(JobState.Psi, (await Store.Jobs.GetAsync(job.Id))!.State);
    }

    [Fact]
    public async Task TransitionAsync_UnknownJob_ThrowsKeyNotFound()
    {
        await Assert.ThrowsAsync<KeyNotFoundException>(
            () => Store.Jobs.TransitionAsync(NewId(), JobState.Pending, JobState.Psi));
    }

    [Fact]
    public async Task TransitionAsync_ToFailedWithoutReason_ThrowsAndChangesNothing()
    {
        var job = await CreateInStateAsync(JobState.Psi);

        await Assert.ThrowsAsync<ArgumentException>(() => Store.Jobs.TransitionAsync(job.Id, JobState.Psi, JobState.Failed, " "));

        Assert.Equal(job, await Store.Jobs.GetAsync(job.Id), JobComparer);
    }

    [Theory]
    [InlineData(JobState.Pending)]
    [InlineData(JobState.Psi)]
    [InlineData(JobState.Training)]
    [InlineData(JobState.Evaluating)]
    public async Task FailAsync_ActiveJob_RecordsFailureAndReason(JobState state)
    {
        var job = await CreateInStateAsync(state);

        var failed = await Store.Jobs.FailAsync(job.Id, "host-1 unreachable");

        Assert.Equal((JobState.Failed, "host-1 unreachable"), (failed.State, failed.Reason));
        Assert.Equal(JobState.Failed, (await Store.Jobs.GetAsync(job.Id))!.State);
    }

    [Theory]
    [InlineData(JobState.Succeeded)]
    [InlineData(JobState.Failed)]
    [InlineData(JobState.Cancelled)]
    public async Task CancelAsync_EndedJob_ThrowsAndChangesNothing(JobState state)
    {
        var job = await CreateInStateAsync(state);

        var error = await Assert.ThrowsAsync<JobTransitionException>(() => Store.Jobs.CancelAsync(job.Id, "user asked"));

        Assert.Equal(state, error.Actual);
        Assert.Equal(job, await Store.Jobs.GetAsync(job.Id), JobComparer);
    }

    [Fact]
    public async Task ListAsync_ByState_ReturnsOnlyJobsInThatState()
    {
        var evaluating = await CreateInStateAsync(JobState.Evaluating);
        var cancelled = await CreateInStateAsync(JobState.Cancelled);

        var listed = await Store.Jobs.ListAsync(JobState.Evaluating, limit: 1000);

        Assert.All(listed, j => Assert.Equal(JobState.Evaluating, j.State));
        Assert.Contains(listed, j => j.Id == evaluating.Id);
        Assert.DoesNotContain(listed, j => j.Id == cancelled.Id);
        Assert.Equal(evaluating.Participants, listed.Single(j => j.Id == evaluating.Id).Participants);
    }

    [Fact]
    public async Task ListAsync_Limit_ReturnsNewestFirst()
    {
        await Store.Jobs.CreateAsync(NewJob());
        await Task.Delay(5);
        var newest = await Store.Jobs.CreateAsync(NewJob());

        var listed = await Store.Jobs.ListAsync(limit: 1);

        Assert.Equal(newest.Id, Assert.Single(listed).Id);
    }

    [Fact]
    public async Task SetProgressAsync_RunningJob_StoresEpochAndProgress()
    {
        var job = await CreateInStateAsync(JobState.Training);

        await Store.Jobs.SetProgressAsync(job.Id, 3, 0.6);

        var stored = (await Store.Jobs.GetAsync(job.Id))!;
        Assert.Equal((3, 0.6, JobState.Training), (stored.Epoch, stored.Progress, stored.State));
    }

    [Fact]
    public async Task SetProgressAsync_EndedJob_ThrowsAndChangesNothing()
    {
        var job = await CreateInStateAsync(JobState.Failed);

        await Assert.ThrowsAsync<JobTransitionException>(() => Store.Jobs.SetProgressAsync(job.Id, 3, 0.6));

        Assert.Equal(job, await Store.Jobs.GetAsync(job.Id), JobComparer);
    }

    // ---- iterations ----

    [Fact]
    public async Task AddAsync_Iterations_ListReturnsThemInOrderWithNulls()
    {
        var job = await CreateInStateAsync(JobState.Training);
        IterationRecord[] iterations =
        [
            new(job.Id, 1, 0, 0.69, null, null, null, 0.25, 1_000, 2_000),
            new(job.Id, 1, null, 0.61, 0.71, 0.33, 0.8, 1.5, 10_000_000_000, 20_000),
            new(job.Id, 2, null, null, null, null, null, 1.25, 0, 0),
        ];

        foreach (var iteration in iterations)
            await Store.Iterations.AddAsync(iteration);

        Assert.Equal(iterations, await Store.Iterations.ListAsync(job.Id));
    }

    [Fact]
    public async Task AddRangeAsync_OneRowForUnknownJob_StoresNone()
    {
        var job = await CreateInStateAsync(JobState.Training);
        IterationRecord[] iterations =
        [
            new(job.Id, 1, null, 0.5, null, null, null, 1, 1, 1),
            new(NewId(), 1, null, 0.5, null, null, null, 1, 1, 1),
        ];

        await Assert.ThrowsAnyAsync<DbException>(() => Store.Iterations.AddRangeAsync(iterations));

        Assert.Empty(await Store.Iterations.ListAsync(job.Id));
    }

    // ---- models ----

    [Fact]
    public async Task SaveAsync_TwoModels_VersionsIncreaseAndLatestIsSecond()
    {
        var job = await CreateInStateAsync(JobState.Evaluating);
        var first = await Store.Models.SaveAsync(new NewModel(job.Id, "guest-1", PartyRole.Guest, "hetero-lr/v1", """{"w":[0.1]}"""));
        var second = await Store.Models.SaveAsync(new NewModel(job.Id, "guest-1", PartyRole.Guest, "hetero-lr/v1", """{"w":[0.2]}"""));

        var latest = await Store.Models.GetLatestAsync(job.Id, "guest-1");

        Assert.Equal((1, 2), (first.Version, second.Version));
        Assert.Equal(second, latest);
        Assert.Equal(first, await Store.Models.GetAsync(job.Id, "guest-1", 1));
    }

    [Fact]
    public async Task SaveAsync_OtherParty_HasItsOwnVersions()
    {
        var job = await CreateInStateAsync(JobState.Evaluating);
        await Store.Models.SaveAsync(new NewModel(job.Id, "guest-1", PartyRole.Guest, "hetero-lr/v1", "{}"));

        var host = await Store.Models.SaveAsync(new NewModel(job.Id, "host-1", PartyRole.Host, "hetero-lr/v1", "{}"));

        Assert.Equal((1, PartyRole.Host), (host.Version, (await Store.Models.GetLatestAsync(job.Id, "host-1"))!.Role));
    }

    [Fact]
    public async Task GetLatestAsync_NoModel_ReturnsNull()
    {
        var job = await Store.Jobs.CreateAsync(NewJob());

        Assert.Null(await Store.Models.GetLatestAsync(job.Id, "guest-1"));
    }

    // ---- checkpoints ----

    [Fact]
    public async Task SaveAsync_TwoCheckpoints_LoadLatestReturnsSecond()
    {
        var job = await CreateInStateAsync(JobState.Training);
        await Store.Checkpoints.SaveAsync(job.Id, "host-1", 1, [1, 2, 3]);

        await Store.Checkpoints.SaveAsync(job.Id, "host-1", 2, [4, 5, 6, 0, 255]);
        var latest = await Store.Checkpoints.LoadLatestAsync(job.Id, "host-1");

        Assert.NotNull(latest);
        Assert.Equal((job.Id, "host-1", 2), (latest.JobId, latest.PartyId, latest.Epoch));
        Assert.Equal(new byte[] { 4, 5, 6, 0, 255 }, latest.State);
        Assert.Equal(1, await ScalarAsync<long>(fixture.Shared, $"SELECT COUNT(*) FROM checkpoints WHERE job_id = '{job.Id}'"));
    }

    [Fact]
    public async Task LoadLatestAsync_NoCheckpoint_ReturnsNull()
    {
        var job = await Store.Jobs.CreateAsync(NewJob());

        Assert.Null(await Store.Checkpoints.LoadLatestAsync(job.Id, "host-1"));
    }

    // ---- audit ----

    [Fact]
    public async Task AuditWriter_ManyEntriesThenDispose_StoresAllInOrder()
    {
        var jobId = NewId();
        var at = DateTime.UtcNow;
        var entries = Enumerable.Range(0, 600)
            .Select(i => new AuditEntry(jobId, i % 2 == 0 ? AuditDirection.Sent : AuditDirection.Received,
                "vfl.v1.EncryptedBatch", "host-1", 100 + i, at.AddMilliseconds(i)))
            .ToList();

        await using (var writer = new AuditWriter(Store.Audit, batchSize: 256))
            entries.ForEach(writer.Record);

        var stored = await Store.Audit.ListAsync(jobId);
        Assert.Equal(entries.Select(e => e with { AtUtc = Timestamps.Normalize(e.AtUtc) }), stored);
    }

    [Fact]
    public async Task AuditWriter_Flush_StoresEverythingRecordedBefore()
    {
        var jobId = NewId();
        await using var writer = new AuditWriter(Store.Audit);
        writer.Record(new AuditEntry(jobId, AuditDirection.Received, "vfl.v1.PsiPoints", "guest-1", 4096, DateTime.UtcNow));

        await writer.FlushAsync();

        Assert.Equal(4096, Assert.Single(await Store.Audit.ListAsync(jobId)).SizeBytes);
    }

    [Fact]
    public async Task AuditTable_Columns_HoldNoPayload()
    {
        var columns = await ColumnsAsync(fixture.Shared, "audit");

        Assert.Equal(["at_utc", "direction", "id", "job_id", "message_type", "peer", "size_bytes"], columns.Order());
    }

    // ---- participants ----

    [Fact]
    public async Task UpsertAsync_KnownParty_ReplacesItsRow()
    {
        var partyId = NewId();
        var seen = Timestamps.Normalize(DateTime.UtcNow);
        await Store.Participants.UpsertAsync(new Participant(partyId, PartyRole.Host, "aa11", "https://old:7001", seen.AddHours(-1)));

        var updated = new Participant(partyId, PartyRole.Host, "bb22", "https://new:7001", seen);
        await Store.Participants.UpsertAsync(updated);

        Assert.Equal(updated, await Store.Participants.GetAsync(partyId));
        Assert.Single(await Store.Participants.ListAsync(), p => p.PartyId == partyId);
    }

    [Fact]
    public async Task GetAsync_UnknownParty_ReturnsNull()
    {
        Assert.Null(await Store.Participants.GetAsync(NewId()));
    }

    // ---- helpers ----

    /// <summary>Jobs are equal when every field is, participants compared by content.</summary>
    private static readonly IEqualityComparer<JobRecord?> JobComparer = EqualityComparer<JobRecord?>.Create(
        (a, b) => a is not null && b is not null
            && a with { Participants = [] } == b with { Participants = [] }
            && a.Participants.SequenceEqual(b.Participants),
        j => j?.Id.GetHashCode() ?? 0);

    protected static string NewId() => $"job-{Guid.NewGuid():N}";

    protected static NewJob NewJob() => new(
        NewId(), PartyRole.Guest, "guest-1",
        [new("host-1", PartyRole.Host), new("guest-1", PartyRole.Guest), new("arbiter", PartyRole.Arbiter)],
        "psi:\n  salt: fresh\ntraining:\n  epochs: 5\n");

    /// <summary>A new job moved along the legal path to <paramref name="state"/>.</summary>
    private async Task<JobRecord> CreateInStateAsync(JobState state)
    {
        var job = await Store.Jobs.CreateAsync(NewJob());
        if (state is JobState.Failed)
            return await Store.Jobs.FailAsync(job.Id, "test failure");
        if (state is JobState.Cancelled)
            return await Store.Jobs.CancelAsync(job.Id, "test cancel");
        JobState[] path = [JobState.Pending, JobState.Psi, JobState.Training, JobState.Evaluating, JobState.Succeeded];
        for (var i = 1; i <= Array.IndexOf(path, state); i++)
            job = await Store.Jobs.TransitionAsync(job.Id, path[i - 1], path[i]);
        return job;
    }

    private static SqlDialect DialectOf(string connectionString) => VflStore.CreateDialect(StoreConnection.Parse(connectionString));

    private static async Task<T> WithConnectionAsync<T>(string connectionString, Func<DbConnection, Task<T>> work)
    {
        var dialect = DialectOf(connectionString);
        await using var connection = await dialect.OpenAsync(CancellationToken.None);
        return await work(connection);
    }

    protected static Task<List<T>> QueryAsync<T>(string connectionString, string sql) =>
        WithConnectionAsync(connectionString, async c => (await c.QueryAsync<T>(sql)).ToList());

    protected static Task<T> ScalarAsync<T>(string connectionString, string sql) =>
        WithConnectionAsync(connectionString, c => c.ExecuteScalarAsync<T>(sql))!;

    private static Task<int> ExecuteAsync(string connectionString, string sql) =>
        WithConnectionAsync(connectionString, c => c.ExecuteAsync(sql));

    private static Task<List<string>> ColumnsAsync(string connectionString, string table) =>
        WithConnectionAsync(connectionString, async c =>
        {
            await using var command = c.CreateCommand();
            command.CommandText = $"SELECT * FROM {table} WHERE 1 = 0";
            await using var reader = await command.ExecuteReaderAsync();
            return Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        });
}

/// <summary>The repository suite on an embedded SQLite file.</summary>
public sealed class SqliteStoreTests(SqliteFixture fixture) : StoreContractTests<SqliteFixture>(fixture);

/// <summary>The repository suite on MariaDB (VFL_TEST_MYSQL); excluded with --filter "Category!=MySql".</summary>
[Trait("Category", "MySql")]
public sealed class MariaDbStoreTests(MariaDbFixture fixture) : StoreContractTests<MariaDbFixture>(fixture)
{
    [Fact]
    public async Task OpenAsync_WrongPassword_ExceptionOmitsPassword()
    {
        const string wrong = "Wr0ng-Pa55-7f3c1d";
        var connectionString = Fixture.Shared.Replace("Password=", $"Password={wrong}", StringComparison.OrdinalIgnoreCase);

        var error = await Assert.ThrowsAsync<StoreException>(() => VflStore.OpenAsync(connectionString));

        Assert.DoesNotContain(wrong, error.ToString());
        Assert.Contains("password=***", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
