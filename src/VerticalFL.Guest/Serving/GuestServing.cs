using System.Collections.Concurrent;
using System.Text.Json;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.Io;
using VerticalFL.Ml.Data;
using VerticalFL.Party.Hosting;
using VerticalFL.Party.Jobs;
using VerticalFL.Party.Operator;
using VerticalFL.Party.Serving;
using VerticalFL.Protocol.Models;
using VerticalFL.Protocol.Serving;
using VerticalFL.Storage;

namespace VerticalFL.Guest.Serving;

/// <summary>
/// The guest's deployments for online prediction: which model version answers under each name, the long-lived Score
/// stream to each host, and deploy/undeploy. A new version becomes active only after every host has loaded (and, with
/// several hosts, armed) it; until then the previous version answers. The list is kept in
/// <c>WORK_DIR/serving/deployments.json</c> so a restarted guest serves the same versions (the hosts keep theirs).
/// </summary>
internal sealed class GuestServing : IAsyncDisposable
{
    private static readonly TimeSpan HostCallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly PartyNode _node;
    private readonly ILogger _logger;
    private readonly string _file;
    private readonly ConcurrentDictionary<string, GuestDeployment> _active = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HostScoreStream> _streams = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _deploying = new(1, 1);
    private readonly Timer _reload;

    public GuestServing(PartyNode node)
    {
        _node = node;
        _logger = node.Loggers.CreateLogger("VerticalFL.Serving");
        _file = Path.Combine(node.Config.WorkDir, "serving", "deployments.json");
        Restore();
        _reload = new Timer(_ => ReloadChanged(), null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
    }

    /// <summary>The guest's random id for this run of its process: binds the hosts' masks to (session, request id).</summary>
    public byte[] Session { get; } = System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);

    private long _requestIds;

    public ulong NextRequestId() => (ulong)Interlocked.Increment(ref _requestIds);

    public HostScoreStream Stream(string host) => _streams.GetOrAdd(host, h => new HostScoreStream(h, _node.Client));

    public IReadOnlyList<GuestDeployment> List() => [.. _active.Values.OrderBy(d => d.Name, StringComparer.Ordinal)];

    /// <summary>The active version of <paramref name="name"/>, counted in (<see cref="GuestDeployment.Exit"/> when done).</summary>
    /// <exception cref="ServingFailure">NOT_FOUND: nothing is deployed under that name.</exception>
    public GuestDeployment Enter(string name)
    {
        while (true)
        {
            if (!_active.TryGetValue(name, out var deployment))
                throw new ServingFailure(StatusCode.NotFound, $"no model is deployed as '{name}' at {_node.Id} (vfl serve list)");
            if (deployment.TryEnter())
                return deployment;
        }
    }

    /// <summary>Loads the version at every host, then makes it the active one; the previous one is unloaded once drained.</summary>
    public async Task<(GuestDeployment Deployed, string? Previous)> DeployAsync(string name, string modelJob, bool allowFallback, CancellationToken ct)
    {
        DeploymentNames.Check(name, "--name");
        JobIds.Require(modelJob, "--model-job");
        await _deploying.WaitAsync(ct);
        try
        {
            if (_active.TryGetValue(name, out var current) && current.ModelJob == modelJob)
                throw new ServingFailure(StatusCode.AlreadyExists, $"'{name}' already serves model job {modelJob}");
            var spec = await ModelJobSpecAsync(modelJob, ct);
            var deployment = LoadGuestPart(name, modelJob, spec, allowFallback, DateTimeOffset.UtcNow);
            await LoadAtHostsAsync(deployment, ct);
            await WarmUpAsync(deployment);
            _active[name] = deployment;
            Save();
            ServingLog.Deployed(_logger, name, modelJob, current?.ModelJob ?? "(none)");
            if (current is not null)
                await RetireAsync(current);
            return (deployment, current?.ModelJob);
        }
        finally
        {
            _deploying.Release();
        }
    }

    /// <summary>Stops answering under <paramref name="name"/>; the hosts unload it once its requests have ended.</summary>
    public async Task<string> UndeployAsync(string name, CancellationToken ct)
    {
        await _deploying.WaitAsync(ct);
        try
        {
            if (!_active.TryRemove(name, out var current))
                throw new ServingFailure(StatusCode.NotFound, $"no model is deployed as '{name}' at {_node.Id}");
            Save();
            await RetireAsync(current);
            return current.ModelJob;
        }
        finally
        {
            _deploying.Release();
        }
    }

    private async Task LoadAtHostsAsync(GuestDeployment deployment, CancellationToken ct)
    {
        var load = new ServingLoad { Name = deployment.Name, ModelJobId = deployment.ModelJob, Hosts = { deployment.Hosts } };
        var loaded = await Task.WhenAll(deployment.Hosts.Select(h => CallHostAsync(h, c => c.LoadAsync(load, deadline: Deadline(), cancellationToken: ct))));
        var failed = loaded.FirstOrDefault(r => r.Error is not null);
        if (failed.Error is null && deployment.Hosts.Count > 1)
        {
            var arm = new ServingArm { Name = deployment.Name, ModelJobId = deployment.ModelJob };
            for (int k = 0; k < deployment.Hosts.Count; k++)
                arm.PublicKeys[deployment.Hosts[k]] = loaded[k].Reply!.MaskPublicKey;
            var armed = await Task.WhenAll(deployment.Hosts.Select(h => CallHostAsync(h, c => c.ArmAsync(arm, deadline: Deadline(), cancellationToken: ct))));
            failed = armed.Select(a => ((ServingLoadReply?)null, a.Error)).FirstOrDefault(a => a.Error is not null);
        }
        if (failed.Error is null)
            return;
        await UnloadAtHostsAsync(deployment);
        throw new ServingFailure(StatusCode.FailedPrecondition, $"not deployed (the previous version, if any, still answers): {failed.Error}");
    }

    /// <summary>
    /// One empty batch per host before the version goes live: it opens the long-lived stream and runs the request path
    /// once at each end, so the first real request does not pay for a connection (or for compiling code) in its deadline.
    /// </summary>
    private async Task WarmUpAsync(GuestDeployment deployment)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var warm = new ScoreBatch
        {
            RequestId = NextRequestId(), Name = deployment.Name, ModelJobId = deployment.ModelJob,
            Session = Google.Protobuf.ByteString.CopyFrom(Session),
        };
        try
        {
            await Task.WhenAll(deployment.Hosts.Select(h => Stream(h).ScoreAsync(warm, limit.Token)));
        }
        catch (Exception e) when (e is ServingFailure or OperationCanceledException)
        {
            // A host that is slow now may still answer later; requests will say so if not.
        }
    }

    private async Task<(T? Reply, string? Error)> CallHostAsync<T>(string host, Func<Contracts.V1.Serving.ServingClient, AsyncUnaryCall<T>> call)
        where T : class
    {
        try
        {
            return (await call(new Contracts.V1.Serving.ServingClient(_node.Client.Invoker(host))), null);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            return (null, _node.Client.Describe(host, e));
        }
        catch (RpcException e)
        {
            return (null, $"{host}: {e.Status.Detail}");
        }
    }

    /// <summary>Waits (bounded) for the version's last request, then tells every host to unload it.</summary>
    private async Task RetireAsync(GuestDeployment old)
    {
        await old.RetireAsync().WaitAsync(DrainLimit).ContinueWith(_ => { }, TaskScheduler.Default);
        await UnloadAtHostsAsync(old);
    }

    private async Task UnloadAtHostsAsync(GuestDeployment deployment)
    {
        var unload = new ServingUnload { Name = deployment.Name, ModelJobId = deployment.ModelJob };
        foreach (var (host, error) in await Task.WhenAll(deployment.Hosts.Select(async h =>
                     (h, (await CallHostAsync(h, c => c.UnloadAsync(unload, deadline: Deadline()))).Error))))
            if (error is not null)
                ServingLog.UnloadFailed(_logger, deployment.Name, deployment.ModelJob, host, error);
    }

    private static DateTime Deadline() => DateTime.UtcNow + HostCallTimeout;

    private async Task<JobSpec> ModelJobSpecAsync(string modelJob, CancellationToken ct)
    {
        var job = await JobQueries.RequireAsync(_node.Store.Jobs, _node.Id, modelJob, ct);
        if (job.State != Storage.JobState.Succeeded)
            throw new ServingFailure(StatusCode.FailedPrecondition, $"model job {modelJob} is {job.State.Name()}, not succeeded");
        var spec = JobQueries.StoredSpec(job);
        if (spec.Kind != JobKinds.Train)
            throw new ServingFailure(StatusCode.FailedPrecondition, $"job {modelJob} is a {spec.Kind} job, not a training job");
        return spec;
    }

    /// <summary>The guest's model part and its own rows (the data source the model job trained on), scored by id.</summary>
    private GuestDeployment LoadGuestPart(string name, string modelJob, JobSpec spec, bool allowFallback, DateTimeOffset deployedAt)
    {
        string modelPath = _node.Workspace(modelJob).Model;
        if (!File.Exists(modelPath))
            throw new ServingFailure(StatusCode.FailedPrecondition, $"model job {modelJob}: no guest model part at {modelPath}");
        var model = ModelFile.LoadGuest(modelPath);
        string dataPath = _node.Config.DataPath(spec.Data.Guest);
        var read = new CsvReadOptions
        {
            IdColumn = spec.Psi.IdColumn,
            LabelColumn = HasColumn(dataPath, spec.Data.LabelColumn) ? spec.Data.LabelColumn : null,
        };
        var table = new ReloadingTable(dataPath,
            path => ScoreTable.Build(CsvDatasetReader.Read(path, read).Dataset, model.FeatureNames, model.Scaler, model.Weights));
        return new GuestDeployment(name, modelJob, [.. spec.HostIds], allowFallback, deployedAt, model, table);
    }

    private static bool HasColumn(string csvPath, string column)
    {
        using var reader = new StreamReader(csvPath);
        return !string.IsNullOrEmpty(column) && (reader.ReadLine() ?? "").Split(',').Select(c => c.Trim('"')).Contains(column);
    }

    private void Save()
    {
        var records = _active.Values.Select(d => new Record(d.Name, d.ModelJob, d.AllowFallback, d.DeployedAt.ToUnixTimeMilliseconds())).ToList();
        Directory.CreateDirectory(Path.GetDirectoryName(_file)!);
        AtomicFile.Write(_file, JsonSerializer.SerializeToUtf8Bytes(records, Json), isPrivate: true);
    }

    /// <summary>At start: the deployments this guest served before (the hosts restore their parts themselves).</summary>
    private void Restore()
    {
        if (!File.Exists(_file))
            return;
        foreach (var record in JsonSerializer.Deserialize<List<Record>>(File.ReadAllBytes(_file), Json) ?? [])
        {
            try
            {
                var spec = ModelJobSpecAsync(record.ModelJob, CancellationToken.None).GetAwaiter().GetResult();
                _active[record.Name] = LoadGuestPart(record.Name, record.ModelJob, spec, record.AllowFallback,
                    DateTimeOffset.FromUnixTimeMilliseconds(record.DeployedUnixMs));
            }
            catch (Exception e) when (e is ServingFailure or BadInputException or IOException or RpcException)
            {
                ServingLog.RestoreFailed(_logger, record.Name, record.ModelJob, e.Message);
            }
        }
    }

    private void ReloadChanged()
    {
        foreach (var deployment in _active.Values)
            if (deployment.Table.ReloadIfChanged())
                ServingLog.Reloaded(_logger, deployment.Name, deployment.ModelJob, deployment.Table.Current.Count);
            else if (deployment.Table.LastError is { } error)
                ServingLog.ReloadFailed(_logger, deployment.Name, deployment.ModelJob, error);
    }

    public async ValueTask DisposeAsync()
    {
        await _reload.DisposeAsync();
        foreach (var stream in _streams.Values)
            stream.Dispose();
    }

    private sealed record Record(string Name, string ModelJob, bool AllowFallback, long DeployedUnixMs);
}
