using System.Net;
using System.Net.Sockets;
using System.Text;
using Grpc.Core;
using Grpc.Health.V1;
using VerticalFL.Cli.Operator;
using VerticalFL.Transport.Security;

namespace VerticalFL.Cli.Local;

/// <summary>
/// A whole federation on this machine: dev certificates, one config per party, and each party started
/// as its own process (`vfl party`) on loopback with mTLS. Each party's config names only its own data
/// file, so each file is only ever read by its own party's process.
/// </summary>
internal sealed class LocalFederation : IDisposable
{
    public const string Guest = "bank";
    public const string Arbiter = "arbiter";

    private readonly List<PartyProcess> _processes = [];
    private Func<string, FederationKeys.PartyFiles> _keysOf = null!;
    private bool _allowSmallBatches;
    private int _receiveTimeoutSeconds = 120;
    private int? _boardPort;

    private LocalFederation(string directory, IReadOnlyList<string> hosts, bool withArbiter)
    {
        Directory = directory;
        Hosts = hosts;
        Parties = [Guest, .. hosts, .. withArbiter ? new[] { Arbiter } : []];
    }

    public string Directory { get; }
    public IReadOnlyList<string> Hosts { get; }

    /// <summary>Guest first, then hosts, then the arbiter if there is one.</summary>
    public IReadOnlyList<string> Parties { get; }
    public string GuestConfig => ConfigPath(Guest);
    public IReadOnlyList<PartyProcess> Processes => _processes;

    /// <summary>The guest's board (listen.board on loopback), when it was asked for.</summary>
    public Uri? BoardAddress => _boardPort is { } port ? new Uri($"http://127.0.0.1:{port}/board") : null;

    public static string HostId(int index, int count) => count == 1 ? "telecom" : $"telecom{index + 1}";

    /// <summary>Writes keys and configs under <paramref name="directory"/>; starts nothing yet.</summary>
    /// <param name="guestStore">The guest's store ("sqlite:…" or "mysql:…"); hosts and the arbiter keep SQLite files of their own.</param>
    /// <param name="withArbiter">False for PSI-only runs, which need no arbiter.</param>
    /// <param name="keysOf">Each party's key files when they were made elsewhere (the request/sign flow); null: demo keys are made here.</param>
    /// <param name="allowSmallBatches">Hosts' allow_small_batches: accept batches below the label-protecting floor (small data).</param>
    /// <param name="guestBoard">Give the guest a board on a free loopback port (<see cref="BoardAddress"/>).</param>
    /// <param name="receiveTimeoutSeconds">Every party's receive_timeout_seconds (120 here; a real party's default is 600).</param>
    public static LocalFederation Prepare(string directory, string guestData, IReadOnlyList<string> hostData, string? guestStore,
        bool withArbiter = true, Func<string, FederationKeys.PartyFiles>? keysOf = null, bool allowSmallBatches = false, bool guestBoard = false,
        int receiveTimeoutSeconds = 120)
    {
        directory = Path.GetFullPath(directory);
        var hosts = hostData.Select((_, i) => HostId(i, hostData.Count)).ToList();
        var federation = new LocalFederation(directory, hosts, withArbiter)
        {
            _allowSmallBatches = allowSmallBatches, _boardPort = guestBoard ? FreePort() : null, _receiveTimeoutSeconds = receiveTimeoutSeconds,
        };
        string keys = Path.Combine(directory, "keys");
        System.IO.Directory.CreateDirectory(directory);
        if (keysOf is null)
            FederationKeys.Create(keys, federation.Parties.Select(p => $"{p}:{federation.RoleOf(p)}"), TimeSpan.FromDays(7), overwrite: true);
        federation._keysOf = keysOf ?? (party => FederationKeys.For(keys, party));
        var ports = federation.Parties.ToDictionary(p => p, _ => FreePort());
        federation.WriteConfig(Guest, "guest", ports, new() { ["customers"] = Path.GetFullPath(guestData) }, guestStore);
        for (int i = 0; i < hosts.Count; i++)
            federation.WriteConfig(hosts[i], "host", ports, new() { ["subscribers"] = Path.GetFullPath(hostData[i]) }, null);
        if (withArbiter)
            federation.WriteConfig(Arbiter, "arbiter", ports, [], null);
        return federation;
    }

    /// <summary>Starts every party and waits until each answers its health check.</summary>
    public async Task StartAsync(TimeSpan timeout, CancellationToken ct)
    {
        foreach (var party in Parties)
            _processes.Add(PartyProcess.Start(party, ConfigPath(party), Path.Combine(Directory, $"{party}.log")));
        var deadline = DateTime.UtcNow + timeout;
        foreach (var process in _processes)
            await WaitHealthyAsync(ConfigPath(process.PartyId), process, deadline, ct);
    }

    public PartyProcess Process(string party) => _processes.Single(p => p.PartyId == party);

    public string ConfigPath(string party) => Path.Combine(Directory, $"{party}.yaml");

    public void Dispose()
    {
        Parallel.ForEach(_processes, p => p.Dispose());
        _processes.Clear();
    }

    /// <summary>Waits until the party answers SERVING to its health check; fails early if its process exits.</summary>
    internal static async Task WaitHealthyAsync(string configPath, PartyProcess process, DateTime deadline, CancellationToken ct)
    {
        using var connection = OperatorConnection.Open(configPath, TimeSpan.FromSeconds(2));
        while (true)
        {
            if (process.HasExited)
                throw new JobFailedException($"the {process.PartyId} process exited at start-up; its log ({process.LogPath}) ends:\n{Tail(process.LogPath)}");
            try
            {
                var reply = await connection.Health.CheckAsync(new HealthCheckRequest(), cancellationToken: ct);
                if (reply.Status == HealthCheckResponse.Types.ServingStatus.Serving) return;
            }
            catch (RpcException)
            {
                // Not listening yet; the deadline below decides how long that may last.
            }
            if (DateTime.UtcNow >= deadline)
                throw new JobFailedException($"the {process.PartyId} process did not become healthy in time; see {process.LogPath}");
            await Task.Delay(200, ct);
        }
    }

    private void WriteConfig(string party, string role, Dictionary<string, int> ports, Dictionary<string, string> data, string? store)
    {
        var files = _keysOf(party);
        var yaml = new StringBuilder()
            .AppendLine($"party: {{ id: {party}, role: {role} }}")
            .AppendLine(role == "guest" && _boardPort is { } board
                ? $"listen: {{ grpc: \"127.0.0.1:{ports[party]}\", board: \"127.0.0.1:{board}\" }}"
                : $"listen: {{ grpc: \"127.0.0.1:{ports[party]}\" }}")
            .AppendLine($"tls: {{ certificate: \"{files.CertificatePath}\", key: \"{files.KeyPath}\", ca: \"{files.CaPath}\" }}")
            .AppendLine("peers:");
        foreach (var (peer, port) in ports.Where(p => p.Key != party))
            yaml.AppendLine($"  - {{ id: {peer}, role: {RoleOf(peer)}, address: \"https://127.0.0.1:{port}\" }}");
        if (role != "guest") yaml.AppendLine($"trusted_guests: [{Guest}]");
        if (role == "host" && _allowSmallBatches) yaml.AppendLine("allow_small_batches: true   # small data: accept batches below the label-protecting floor");
        if (data.Count > 0)
            yaml.AppendLine("data:").AppendJoin("", data.Select(d => $"  {d.Key}: \"{d.Value}\"\n"));
        yaml.AppendLine($"work_dir: \"{Path.Combine(Directory, party)}\"");
        if (store is not null) yaml.AppendLine($"store: \"{store.Replace("\"", "\\\"")}\"");
        yaml.AppendLine(FormattableString.Invariant($"receive_timeout_seconds: {_receiveTimeoutSeconds}"));
        File.WriteAllText(ConfigPath(party), yaml.ToString());
    }

    public string RoleOf(string party) => party == Guest ? "guest" : party == Arbiter ? "arbiter" : "host";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static string Tail(string path, int lines = 15) =>
        File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(lines)) : "(no log)";
}
