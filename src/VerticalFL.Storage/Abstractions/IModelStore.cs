namespace VerticalFL.Storage;

/// <summary>Versioned model parts, one series per job and party.</summary>
public interface IModelStore
{
    /// <summary>Saves <paramref name="model"/> as the next version for its job and party.</summary>
    /// <remarks>One writer per job and party is expected; two racing saves may conflict, and the loser throws.</remarks>
    Task<ModelRecord> SaveAsync(NewModel model, CancellationToken cancellationToken = default);

    Task<ModelRecord?> GetLatestAsync(string jobId, string partyId, CancellationToken cancellationToken = default);

    Task<ModelRecord?> GetAsync(string jobId, string partyId, int version, CancellationToken cancellationToken = default);
}
