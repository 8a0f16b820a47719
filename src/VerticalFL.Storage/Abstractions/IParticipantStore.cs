namespace VerticalFL.Storage;

/// <summary>The parties this one knows.</summary>
public interface IParticipantStore
{
    /// <summary>Inserts the party or replaces everything stored about it.</summary>
    Task UpsertAsync(Participant participant, CancellationToken cancellationToken = default);

    Task<Participant?> GetAsync(string partyId, CancellationToken cancellationToken = default);

    /// <summary>All known parties, by id.</summary>
    Task<IReadOnlyList<Participant>> ListAsync(CancellationToken cancellationToken = default);
}
