using Dapper;
using VerticalFL.Storage.Sql;
using static VerticalFL.Storage.Sql.Database;

namespace VerticalFL.Storage.Repositories;

internal sealed class ParticipantStore(Database database) : IParticipantStore
{
    private const int MaxFingerprintLength = 128;
    private const int MaxAddressLength = 255;

    private const string SelectParticipants =
        "SELECT party_id AS PartyId, role AS Role, cert_fingerprint AS CertificateFingerprint, address AS Address, "
        + "last_seen_utc AS LastSeenUtc FROM participants";

    private readonly string _upsert = database.Dialect.Upsert(
        "participants", ["party_id"], ["role", "cert_fingerprint", "address", "last_seen_utc"]);

    public Task UpsertAsync(Participant participant, CancellationToken cancellationToken = default)
    {
        Validate(participant);
        return database.RunAsync(connection => connection.ExecuteAsync(Command(_upsert, new
        {
            participant.PartyId,
            Role = Naming.Code(participant.Role),
            CertFingerprint = participant.CertificateFingerprint,
            participant.Address,
            LastSeenUtc = Timestamps.Normalize(participant.LastSeenUtc),
        }, cancellationToken)), cancellationToken);
    }

    public async Task<Participant?> GetAsync(string partyId, CancellationToken cancellationToken = default)
    {
        Guard.Id(partyId);
        var row = await database.RunAsync(connection => connection.QuerySingleOrDefaultAsync<ParticipantRow>(Command(
            $"{SelectParticipants} WHERE party_id = @PartyId", new { PartyId = partyId }, cancellationToken)), cancellationToken)
            .ConfigureAwait(false);
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<Participant>> ListAsync(CancellationToken cancellationToken = default)
    {
        var rows = await database.RunAsync(connection => connection.QueryAsync<ParticipantRow>(Command(
            $"{SelectParticipants} ORDER BY party_id", null, cancellationToken)), cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToRecord())];
    }

    private static void Validate(Participant participant)
    {
        ArgumentNullException.ThrowIfNull(participant);
        Guard.Id(participant.PartyId);
        Guard.Text(participant.CertificateFingerprint, MaxFingerprintLength);
        Guard.Text(participant.Address, MaxAddressLength);
    }

    private sealed class ParticipantRow
    {
        public string PartyId { get; set; } = "";
        public string Role { get; set; } = "";
        public string CertificateFingerprint { get; set; } = "";
        public string Address { get; set; } = "";
        public DateTime LastSeenUtc { get; set; }

        public Participant ToRecord() =>
            new(PartyId, Naming.Parse<PartyRole>(Role), CertificateFingerprint, Address, Timestamps.FromStore(LastSeenUtc));
    }
}
