using System.Collections.Concurrent;
using System.Text.Json;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.Io;
using VerticalFL.Crypto.Masking;
using VerticalFL.Ml.Data;
using VerticalFL.Party.Hosting;
using VerticalFL.Party.Jobs;
using VerticalFL.Party.Operator;
using VerticalFL.Party.Serving;
using VerticalFL.Protocol.Models;
using VerticalFL.Protocol.Serving;
using VerticalFL.Storage;

namespace VerticalFL.Host.Serving;

/// <summary>
/// A host's online prediction: the model versions it has loaded (each with its feature rows scored and indexed by id,
/// reloaded when the data file changes), its per-guest limits and its audit trail. Versions are persisted under
/// <c>WORK_DIR/serving/</c> (the mask key 0600), so a restarted host serves them again without the guest's help.
/// </summary>
internal sealed class HostServing : IAsyncDisposable
{
    private static readonly TimeSpan ReloadEvery = TimeSpan.FromSeconds(2);
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly PartyNode _node;
    private readonly ILogger _logger;
    private readonly string _directory;
    private readonly ConcurrentDictionary<string, ServedPart> _parts = new(StringComparer.Ordinal);
    private readonly Timer _reload;

    public HostServing(PartyNode node, TimeProvider time)
    {
        _node = node;
        _logger = node.Loggers.CreateLogger("VerticalFL.Serving");
        _directory = Path.Combine(node.Config.WorkDir, "serving");
        Directory.CreateDirectory(_directory);
        var policy = node.Config.Policy;
        Limiter = new ServingRateLimiter(new ServingLimits(policy.ServingIdsPerSecond, policy.ServingBurst, policy.ServingIdsPerDay), time);
        Audit = new ServingAudit(_directory);
        Restore();
        _reload = new Timer(_ => ReloadChanged(), null, ReloadEvery, ReloadEvery);
    }

    public ServingRateLimiter Limiter { get; }
    public ILogger Logger => _logger;
    public ServingAudit Audit { get; }

    /// <summary>Loads this host's part of <c>model_job_id</c> for the calling guest; a version already loaded is reloaded.</summary>
    public async Task<ServingLoadReply> LoadAsync(string guest, ServingLoad request, CancellationToken ct)
    {
        DeploymentNames.Check(request.Name);
        var record = new DeploymentRecord(request.Name, request.ModelJobId, guest, [.. request.Hosts], null, null);
        var spec = await ModelJobSpecAsync(guest, request.ModelJobId, ct);
        if (!spec.HostIds.Order(StringComparer.Ordinal).SequenceEqual(request.Hosts.Order(StringComparer.Ordinal)))
            throw Refuse(StatusCode.InvalidArgument, $"the hosts [{string.Join(", ", request.Hosts)}] are not model job {request.ModelJobId}'s");
        using var fresh = request.Hosts.Count > 1 ? new PairwiseMask() : null;
        record = record with { MaskKey = fresh?.ExportPrivateKey() };
        var part = Build(record, spec);
        Replace(record, part);
        return new ServingLoadReply
        {
            Rows = part.Table.Current.Count,
            MaskPublicKey = Google.Protobuf.ByteString.CopyFrom(part.MaskPublicKey ?? []),
        };
    }

    /// <summary>Several hosts: the guest relays every host's mask key for a loaded version.</summary>
    public void Arm(string guest, ServingArm request)
    {
        var part = Owned(guest, request.Name, request.ModelJobId);
        try
        {
            part.Arm(request.PublicKeys.ToDictionary(kv => kv.Key, kv => kv.Value.ToByteArray()));
        }
        catch (InvalidOperationException e)
        {
            throw Refuse(StatusCode.InvalidArgument, e.Message);
        }
        var record = Read(FileOf(request.Name, request.ModelJobId)) with { PeerKeys = part.PeerKeys!.ToDictionary() };
        AtomicFile.Write(FileOf(request.Name, request.ModelJobId), JsonSerializer.SerializeToUtf8Bytes(record, Json), isPrivate: true);
    }

    /// <summary>Unloads one version of the guest's deployment, or all its versions when none is named.</summary>
    public int Unload(string guest, ServingUnload request)
    {
        var victims = _parts.Values.Where(p => p.Name == request.Name && Guest(p) == guest
                                               && (request.ModelJobId.Length == 0 || p.ModelJob == request.ModelJobId)).ToList();
        // A removed part is not disposed: a batch still being answered may hold it; its mask key goes with the GC.
        foreach (var part in victims)
            if (_parts.TryRemove(Key(part.Name, part.ModelJob), out _))
            {
                File.Delete(FileOf(part.Name, part.ModelJob));
                ServingLog.Unloaded(_logger, part.Name, part.ModelJob, guest);
            }
        return victims.Count;
    }

    /// <summary>The version a batch names, if the calling guest owns it.</summary>
    public ServedPart? Find(string guest, string name, string modelJob) =>
        _parts.TryGetValue(Key(name, modelJob), out var part) && Guest(part) == guest ? part : null;

    private ServedPart Owned(string guest, string name, string modelJob) =>
        Find(guest, name, modelJob) ?? throw Refuse(StatusCode.NotFound, $"deployment {name} version {modelJob} is not loaded at {_node.Id}");

    private readonly ConcurrentDictionary<ServedPart, string> _guests = new();

    private string Guest(ServedPart part) => _guests.TryGetValue(part, out var g) ? g : "";

    private void Replace(DeploymentRecord record, ServedPart part)
    {
        AtomicFile.Write(FileOf(record.Name, record.ModelJob), JsonSerializer.SerializeToUtf8Bytes(record, Json), isPrivate: true);
        _guests[part] = record.Guest;
        _parts.AddOrUpdate(Key(record.Name, record.ModelJob), part, (_, _) => part);
        ServingLog.Loaded(_logger, record.Name, record.ModelJob, record.Guest, part.Table.Current.Count);
    }

    /// <summary>The model job must be a succeeded training job of this guest, with this host in it.</summary>
    private async Task<JobSpec> ModelJobSpecAsync(string guest, string modelJob, CancellationToken ct)
    {
        var job = await _node.Store.Jobs.GetAsync(modelJob, ct)
                  ?? throw Refuse(StatusCode.NotFound, $"model job '{modelJob}' is not known at {_node.Id}");
        if (!job.Participants.Any(p => p.PartyId == guest && p.Role == Storage.PartyRole.Guest))
            throw Refuse(StatusCode.PermissionDenied, $"model job '{modelJob}' is not guest '{guest}''s");
        if (job.State != Storage.JobState.Succeeded)
            throw Refuse(StatusCode.FailedPrecondition, $"model job '{modelJob}' is {job.State.Name()} at {_node.Id}, not succeeded");
        var spec = JobQueries.StoredSpec(job);
        if (spec.Kind != JobKinds.Train)
            throw Refuse(StatusCode.FailedPrecondition, $"job '{modelJob}' is a {spec.Kind} job, not a training job");
        return spec;
    }

    private ServedPart Build(DeploymentRecord record, JobSpec spec)
    {
        string modelPath = _node.Workspace(record.ModelJob).Model;
        if (!File.Exists(modelPath))
            throw Refuse(StatusCode.FailedPrecondition, $"model job '{record.ModelJob}': no model part at {_node.Id}");
        var model = ModelFile.LoadHost(modelPath);
        string dataPath = _node.Config.DataPath(spec.Data.Hosts[_node.Id]);
        var read = new CsvReadOptions { IdColumn = spec.Psi.IdColumn };
        ReloadingTable table;
        try
        {
            table = new ReloadingTable(dataPath,
                path => ScoreTable.Build(CsvDatasetReader.Read(path, read).Dataset, model.FeatureNames, model.Scaler, model.Weights));
        }
        catch (BadInputException e)
        {
            // The host's paths and cells stay here; the guest gets a reference to quote.
            string reference = "R-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
            ServingLog.DataError(_logger, reference, e.Message);
            throw Refuse(StatusCode.FailedPrecondition, $"data error at {_node.Id} (ref {reference})");
        }
        var mask = record.MaskKey is { } key ? PairwiseMask.Import(key) : null;
        var part = new ServedPart(_node.Id, record.Name, record.ModelJob, record.Hosts, table, mask);
        if (record.PeerKeys is { } peers)
            part.Arm(peers.Append(new KeyValuePair<string, byte[]>(_node.Id, part.MaskPublicKey!)).ToDictionary());
        return part;
    }

    /// <summary>At start: every persisted version is served again (a version whose files are gone is logged and skipped).</summary>
    private void Restore()
    {
        foreach (var file in Directory.EnumerateFiles(_directory, "*.deployment.json"))
        {
            try
            {
                var record = Read(file);
                var spec = ModelJobSpecAsync(record.Guest, record.ModelJob, CancellationToken.None).GetAwaiter().GetResult();
                var part = Build(record, spec);
                _guests[part] = record.Guest;
                _parts[Key(record.Name, record.ModelJob)] = part;
                ServingLog.Loaded(_logger, record.Name, record.ModelJob, record.Guest, part.Table.Current.Count);
            }
            catch (Exception e) when (e is RpcException or BadInputException or IOException or JsonException)
            {
                ServingLog.RestoreFailed(_logger, file, e.Message);
            }
        }
    }

    private void ReloadChanged()
    {
        foreach (var part in _parts.Values)
        {
            if (part.Table.ReloadIfChanged())
                ServingLog.Reloaded(_logger, part.Name, part.ModelJob, part.Table.Current.Count);
            else if (part.Table.LastError is { } error)
                ServingLog.ReloadFailed(_logger, part.Name, part.ModelJob, error);
        }
    }

    private static DeploymentRecord Read(string file) =>
        JsonSerializer.Deserialize<DeploymentRecord>(File.ReadAllBytes(file), Json) ?? throw new JsonException($"{file}: empty");

    private string FileOf(string name, string modelJob) => Path.Combine(_directory, $"{name}@{JobIds.Require(modelJob, "model_job_id")}.deployment.json");

    private static string Key(string name, string modelJob) => name + "\n" + modelJob;

    private static RpcException Refuse(StatusCode code, string message) => new(new Status(code, message));

    public async ValueTask DisposeAsync()
    {
        await _reload.DisposeAsync();
        await Audit.DisposeAsync();
    }

    /// <summary>What a host persists of one loaded version (no features, no scores: those come from the data file).</summary>
    internal sealed record DeploymentRecord(
        string Name, string ModelJob, string Guest, string[] Hosts, byte[]? MaskKey, Dictionary<string, byte[]>? PeerKeys);
}
