using VerticalFL.Party.Hosting;
using VerticalFL.Protocol.Models;
using VerticalFL.Storage;

namespace VerticalFL.Party.Jobs;

/// <summary>Keeps a party's model part twice: as a file in the job's workspace and as a version in the store.</summary>
public static class ModelArchive
{
    public static Task SaveAsync(PartyNode node, JobWorkspace workspace, GuestModelPart part, CancellationToken ct)
    {
        ModelFile.Save(workspace.Model, part);
        return StoreAsync(node, part.Metadata.JobId, PartyRole.Guest, GuestModelPart.FormatName, workspace.Model, ct);
    }

    public static Task SaveAsync(PartyNode node, JobWorkspace workspace, HostModelPart part, CancellationToken ct)
    {
        ModelFile.Save(workspace.Model, part);
        return StoreAsync(node, part.JobId, PartyRole.Host, HostModelPart.FormatName, workspace.Model, ct);
    }

    private static async Task StoreAsync(PartyNode node, string jobId, PartyRole role, string format, string path, CancellationToken ct) =>
        await node.Store.Models.SaveAsync(new NewModel(jobId, node.Id, role, format, await File.ReadAllTextAsync(path, ct)), ct);
}
