namespace VerticalFL.Storage;

/// <summary>The latest resumable state per job and party; saving replaces the previous one.</summary>
public interface ICheckpointStore
{
    /// <param name="state">The party's state after <paramref name="epoch"/>; never key material.</param>
    Task SaveAsync(string jobId, string partyId, int epoch, byte[] state, CancellationToken cancellationToken = default);

    Task<Checkpoint?> LoadLatestAsync(string jobId, string partyId, CancellationToken cancellationToken = default);
}
