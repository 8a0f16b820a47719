using System.Text.Json;
using VerticalFL.Ml.Data;
using VerticalFL.Party.Hosting;
using VerticalFL.Protocol.Training;

namespace VerticalFL.Party.Jobs;

/// <summary>A party's training state after an epoch, kept in its own store so a failed job can be resumed.</summary>
public static class Checkpoints
{
    public static byte[] Serialize(PartyCheckpoint checkpoint) => JsonSerializer.SerializeToUtf8Bytes(checkpoint);

    /// <summary>The checkpoint to start from: none for a fresh job, else this party's latest one of <see cref="JobSpec.ResumeFrom"/>.</summary>
    public static async Task<PartyCheckpoint?> ForAsync(PartyNode node, JobSpec spec, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(spec.ResumeFrom)) return null;
        var stored = await node.Store.Checkpoints.LoadLatestAsync(spec.ResumeFrom, node.Id, ct)
            ?? throw new BadInputException($"resume_from '{spec.ResumeFrom}': '{node.Id}' has no checkpoint of that job (it never completed an epoch there).");
        return JsonSerializer.Deserialize<PartyCheckpoint>(stored.State)
            ?? throw new InvalidOperationException($"resume_from '{spec.ResumeFrom}': the checkpoint at '{node.Id}' is empty.");
    }
}
