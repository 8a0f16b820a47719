using System.Data.Common;
using Dapper;
using VerticalFL.Storage.Sql;
using static VerticalFL.Storage.Sql.Database;

namespace VerticalFL.Storage.Repositories;

internal sealed class JobStore(Database database) : IJobStore
{
    internal const string SelectJobs =
        "SELECT id AS Id, role AS Role, initiator AS Initiator, spec AS Spec, state AS State, reason AS Reason, "
        + "epoch AS Epoch, progress AS Progress, created_utc AS CreatedUtc, updated_utc AS UpdatedUtc FROM jobs";

    private static readonly string[] ActiveCodes = [.. JobStates.Active.Select(Naming.Code)];

    public async Task<JobRecord> CreateAsync(NewJob job, CancellationToken cancellationToken = default)
    {
        Validate(job);
        var now = database.UtcNow();
        try
        {
            await database.WriteAsync(async (connection, transaction) =>
            {
                await connection.ExecuteAsync(Command(
                    "INSERT INTO jobs (id, role, initiator, spec, state, reason, epoch, progress, created_utc, updated_utc) "
                    + "VALUES (@Id, @Role, @Initiator, @Spec, @State, NULL, 0, 0, @Now, @Now)",
                    new { job.Id, Role = Naming.Code(job.Role), job.Initiator, job.Spec, State = Naming.Code(JobState.Pending), Now = now },
                    cancellationToken, transaction)).ConfigureAwait(false);
                await connection.ExecuteAsync(Command(
                    "INSERT INTO job_parties (job_id, party_id, role) VALUES (@JobId, @PartyId, @Role)",
                    job.Participants.Select(p => new { JobId = job.Id, p.PartyId, Role = Naming.Code(p.Role) }),
                    cancellationToken, transaction)).ConfigureAwait(false);
                await connection.ExecuteAsync(Command(
                    "INSERT INTO job_kinds (job_id, kind) VALUES (@Id, @Kind)", new { job.Id, job.Kind }, cancellationToken, transaction))
                    .ConfigureAwait(false);
                await JobEvents.RecordAsync(connection, transaction, job.Id, JobState.Pending, now, cancellationToken).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (DbException e) when (database.Dialect.IsDuplicateKey(e))
        {
            throw new InvalidOperationException($"A job with id '{job.Id}' already exists.", e);
        }
        // Same participant order as a read (by party id, ordinal: both dialects compare ids as bytes).
        JobParty[] participants = [.. job.Participants.OrderBy(p => p.PartyId, StringComparer.Ordinal)];
        return new JobRecord(job.Id, job.Role, job.Initiator, participants, job.Spec, JobState.Pending, null, 0, 0, now, now);
    }

    public async Task<JobRecord?> GetAsync(string jobId, CancellationToken cancellationToken = default)
    {
        Guard.Id(jobId);
        var jobs = await QueryAsync($"{SelectJobs} WHERE id = @JobId", new { JobId = jobId }, cancellationToken).ConfigureAwait(false);
        return jobs.SingleOrDefault();
    }

    public Task<IReadOnlyList<JobRecord>> ListAsync(JobState? state = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var where = state is null ? "" : " WHERE state = @State";
        return QueryAsync($"{SelectJobs}{where} ORDER BY created_utc DESC, id DESC LIMIT @Limit",
            new { State = state is { } s ? Naming.Code(s) : null, Limit = limit }, cancellationToken);
    }

    public Task<IReadOnlyList<JobRecord>> ListByInitiatorAsync(string initiator, DateTime sinceUtc, CancellationToken cancellationToken = default)
    {
        Guard.Id(initiator);
        return QueryAsync($"{SelectJobs} WHERE initiator = @Initiator AND created_utc >= @Since ORDER BY created_utc DESC, id DESC",
            new { Initiator = initiator, Since = Timestamps.Normalize(sinceUtc) }, cancellationToken);
    }

    public async Task NoteAsync(string jobId, string note, CancellationToken cancellationToken = default)
    {
        Guard.Id(jobId);
        ArgumentException.ThrowIfNullOrWhiteSpace(note);
        var updated = await database.RunAsync(connection => connection.ExecuteAsync(Command(
            "UPDATE jobs SET reason = @Note, updated_utc = @Now WHERE id = @JobId AND state IN @Active",
            new { JobId = jobId, Note = note, Now = database.UtcNow(), Active = ActiveCodes },
            cancellationToken)), cancellationToken).ConfigureAwait(false);
        if (updated == 0)
            throw await RefusalAsync(jobId, "running", null, cancellationToken).ConfigureAwait(false);
    }

    public Task<JobRecord> TransitionAsync(string jobId, JobState from, JobState to, string? reason = null, CancellationToken cancellationToken = default)
    {
        Guard.Id(jobId);
        if (!JobStates.CanMove(from, to))
            throw new JobTransitionException(jobId, null, to,
                $"Job '{jobId}' cannot move from {Naming.Code(from)} to {Naming.Code(to)}: not an allowed transition.");
        if (to is JobState.Failed or JobState.Cancelled)
            ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return MoveAsync(jobId, [Naming.Code(from)], to, reason, cancellationToken);
    }

    public Task<JobRecord> FailAsync(string jobId, string reason, CancellationToken cancellationToken = default) =>
        EndAsync(jobId, JobState.Failed, reason, cancellationToken);

    public Task<JobRecord> CancelAsync(string jobId, string reason, CancellationToken cancellationToken = default) =>
        EndAsync(jobId, JobState.Cancelled, reason, cancellationToken);

    public async Task SetProgressAsync(string jobId, int epoch, double progress, CancellationToken cancellationToken = default)
    {
        Guard.Id(jobId);
        Guard.NotNegative(epoch);
        if (!(progress is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(progress), progress, "Progress is a fraction from 0 to 1.");
        var updated = await database.RunAsync(connection => connection.ExecuteAsync(Command(
            "UPDATE jobs SET epoch = @Epoch, progress = @Progress, updated_utc = @Now WHERE id = @JobId AND state IN @Active",
            new { JobId = jobId, Epoch = epoch, Progress = progress, Now = database.UtcNow(), Active = ActiveCodes },
            cancellationToken)), cancellationToken).ConfigureAwait(false);
        if (updated == 0)
            throw await RefusalAsync(jobId, "running", null, cancellationToken).ConfigureAwait(false);
    }

    private Task<JobRecord> EndAsync(string jobId, JobState outcome, string reason, CancellationToken cancellationToken)
    {
        Guard.Id(jobId);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return MoveAsync(jobId, ActiveCodes, outcome, reason, cancellationToken);
    }

    /// <summary>Compare-and-set: the update matches only while the job is still in one of <paramref name="fromCodes"/>.</summary>
    private async Task<JobRecord> MoveAsync(string jobId, string[] fromCodes, JobState to, string? reason, CancellationToken cancellationToken)
    {
        var now = database.UtcNow();
        var updated = await database.WriteAsync(async (connection, transaction) =>
        {
            var rows = await connection.ExecuteAsync(Command(
                "UPDATE jobs SET state = @To, reason = @Reason, updated_utc = @Now WHERE id = @JobId AND state IN @From",
                new { JobId = jobId, To = Naming.Code(to), Reason = reason, Now = now, From = fromCodes },
                cancellationToken, transaction)).ConfigureAwait(false);
            // The state history (the board's time per state) moves in the same transaction as the state.
            if (rows > 0)
                await JobEvents.RecordAsync(connection, transaction, jobId, to, now, cancellationToken).ConfigureAwait(false);
            return rows;
        }, cancellationToken).ConfigureAwait(false);
        if (updated == 0)
        {
            var expected = fromCodes.Length == 1 ? fromCodes[0] : "running";
            throw await RefusalAsync(jobId, expected, to, cancellationToken).ConfigureAwait(false);
        }
        return await GetAsync(jobId, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"Job '{jobId}' disappeared after its state changed.");
    }

    /// <summary>Explains why a guarded update matched no row: no such job, or it is in another state.</summary>
    private async Task<Exception> RefusalAsync(string jobId, string expected, JobState? requested, CancellationToken cancellationToken)
    {
        var job = await GetAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (job is null)
            return new KeyNotFoundException($"There is no job '{jobId}'.");
        var action = requested is { } to ? $"moved to {Naming.Code(to)}" : "updated";
        return new JobTransitionException(jobId, job.State, requested ?? job.State,
            $"Job '{jobId}' is {Naming.Code(job.State)}, not {expected}; it was not {action}.");
    }

    /// <summary>Jobs (with their participants) from a query over <c>jobs</c> selecting <see cref="SelectJobs"/>'s columns.</summary>
    internal Task<IReadOnlyList<JobRecord>> QueryAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<JobRecord>>(async connection =>
        {
            var rows = (await connection.QueryAsync<JobRow>(Command(sql, parameters, cancellationToken)).ConfigureAwait(false)).ToList();
            if (rows.Count == 0)
                return [];
            var parties = (await connection.QueryAsync<PartyRow>(Command(
                    "SELECT job_id AS JobId, party_id AS PartyId, role AS Role FROM job_parties WHERE job_id IN @Ids ORDER BY job_id, party_id",
                    new { Ids = rows.Select(r => r.Id).ToArray() }, cancellationToken)).ConfigureAwait(false))
                .ToLookup(p => p.JobId, p => new JobParty(p.PartyId, Naming.Parse<PartyRole>(p.Role)));
            return [.. rows.Select(r => r.ToRecord([.. parties[r.Id]]))];
        }, cancellationToken);

    private static void Validate(NewJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        Guard.Id(job.Id);
        Guard.Id(job.Initiator);
        ArgumentNullException.ThrowIfNull(job.Spec);
        ArgumentNullException.ThrowIfNull(job.Participants);
        Guard.Text(job.Kind, 16);
        if (job.Participants.Count == 0)
            throw new ArgumentException("A job needs at least one participant.", nameof(job));
        foreach (var party in job.Participants)
            Guard.Id(party.PartyId);
        var duplicate = job.Participants.GroupBy(p => p.PartyId).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Party '{duplicate.Key}' is listed more than once.", nameof(job));
    }

    private sealed class JobRow
    {
        public string Id { get; set; } = "";
        public string Role { get; set; } = "";
        public string Initiator { get; set; } = "";
        public string Spec { get; set; } = "";
        public string State { get; set; } = "";
        public string? Reason { get; set; }
        public int Epoch { get; set; }
        public double Progress { get; set; }
        public DateTime CreatedUtc { get; set; }
        public DateTime UpdatedUtc { get; set; }

        public JobRecord ToRecord(IReadOnlyList<JobParty> participants) => new(
            Id, Naming.Parse<PartyRole>(Role), Initiator, participants, Spec, Naming.Parse<JobState>(State), Reason,
            Epoch, Progress, Timestamps.FromStore(CreatedUtc), Timestamps.FromStore(UpdatedUtc));
    }

    private sealed class PartyRow
    {
        public string JobId { get; set; } = "";
        public string PartyId { get; set; } = "";
        public string Role { get; set; } = "";
    }
}
