using Dapper;
using VerticalFL.Storage.Sql;
using static VerticalFL.Storage.Sql.Database;

namespace VerticalFL.Storage.Repositories;

internal sealed class CheckpointStore(Database database) : ICheckpointStore
{
    private readonly string _upsert = database.Dialect.Upsert("checkpoints", ["job_id", "party_id"], ["epoch", "state", "saved_utc"]);

    public Task SaveAsync(string jobId, string partyId, int epoch, byte[] state, CancellationToken cancellationToken = default)
    {
        Guard.Id(jobId);
        Guard.Id(partyId);
        Guard.NotNegative(epoch);
        ArgumentNullException.ThrowIfNull(state);
        return database.RunAsync(connection => connection.ExecuteAsync(Command(
            _upsert, new { JobId = jobId, PartyId = partyId, Epoch = epoch, State = state, SavedUtc = database.UtcNow() },
            cancellationToken)), cancellationToken);
    }

    public async Task<Checkpoint?> LoadLatestAsync(string jobId, string partyId, CancellationToken cancellationToken = default)
    {
        Guard.Id(jobId);
        Guard.Id(partyId);
        var row = await database.RunAsync(connection => connection.QuerySingleOrDefaultAsync<CheckpointRow>(Command(
            "SELECT job_id AS JobId, party_id AS PartyId, epoch AS Epoch, state AS State, saved_utc AS SavedUtc "
            + "FROM checkpoints WHERE job_id = @JobId AND party_id = @PartyId",
            new { JobId = jobId, PartyId = partyId }, cancellationToken)), cancellationToken).ConfigureAwait(false);
        return row is null ? null : new Checkpoint(row.JobId, row.PartyId, row.Epoch, row.State, Timestamps.FromStore(row.SavedUtc));
    }

    private sealed class CheckpointRow
    {
        public string JobId { get; set; } = "";
        public string PartyId { get; set; } = "";
        public int Epoch { get; set; }
        public byte[] State { get; set; } = [];
        public DateTime SavedUtc { get; set; }
    }
}
