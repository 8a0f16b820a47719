namespace VerticalFL.Storage;

/// <summary>
/// A party's state after a completed epoch, enough to resume the job after a restart. Stored as
/// given, unencrypted: it must never hold key material.
/// </summary>
public sealed record Checkpoint(string JobId, string PartyId, int Epoch, byte[] State, DateTime SavedUtc);
