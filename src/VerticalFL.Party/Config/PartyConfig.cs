using VerticalFL.Ml.Data;

namespace VerticalFL.Party.Config;

/// <summary>One party's service configuration (<c>vfl party --config FILE</c>). Relative paths are resolved against the file's directory.</summary>
public sealed class PartyConfig
{
    public PartySection Party { get; set; } = new();
    public ListenSection Listen { get; set; } = new();
    public TlsSection? Tls { get; set; }

    /// <summary>Plaintext HTTP/2 without certificates: for local development only; prints a warning.</summary>
    public bool InsecureDev { get; set; }

    public List<PeerSection> Peers { get; set; } = [];

    /// <summary>Hosts and the arbiter accept jobs only from these guests.</summary>
    public List<string> TrustedGuests { get; set; } = [];

    /// <summary>Data sources this party may read, by name. A job names them; it never carries a path.</summary>
    public Dictionary<string, string> Data { get; set; } = [];

    /// <summary>"sqlite:PATH" (default) or "mysql:CONNECTION-STRING".</summary>
    public string Store { get; set; } = "";

    /// <summary>Where intersections, models and checkpoints are written.</summary>
    public string WorkDir { get; set; } = "";

    /// <summary>Hosts: accept training batches below the floor that protects labels (small test data only; docs/security.md).</summary>
    public bool AllowSmallBatches { get; set; }

    /// <summary>How long a party waits for a peer's message before failing the job, in seconds.</summary>
    public int ReceiveTimeoutSeconds { get; set; } = 600;

    /// <summary>
    /// Hosts and the arbiter: fail a job locally when its guest has not been heard from for this long, in seconds
    /// (the guest asks for each participant's status every second while a job runs). Default 600 (10 minutes).
    /// </summary>
    public int WatchdogSeconds { get; set; } = 600;

    /// <summary>The board's access token (<c>board.token_file</c>); required when <c>listen.board</c> is not on loopback.</summary>
    public BoardSection Board { get; set; } = new();

    /// <summary>A host's limits on what its guests may ask (ignored by other roles).</summary>
    public HostPolicy Policy { get; set; } = new();

    /// <summary>The guest's online prediction settings (<c>serving:</c>; docs/operations.md, "Serving").</summary>
    public ServingSection Serving { get; set; } = new();

    public static PartyConfig Load(string path)
    {
        var config = YamlFile.Read<PartyConfig>(path);
        config.Validate(path);
        config.ResolvePaths(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return config;
    }

    public PeerSection Peer(string id) =>
        Peers.FirstOrDefault(p => p.Id == id) ?? throw new BadInputException($"Party '{Party.Id}' has no peer '{id}' in its config.");

    public string DataPath(string name) =>
        Data.TryGetValue(name, out var path)
            ? path
            : throw new BadInputException($"Party '{Party.Id}' has no data source named '{name}' (configured: {string.Join(", ", Data.Keys)}).");

    private void Validate(string path)
    {
        Require(path, !string.IsNullOrWhiteSpace(Party.Id), "party.id is required");
        Require(path, Roles.IsKnown(Party.Role), $"party.role must be guest, host or arbiter (got '{Party.Role}')");
        Require(path, !string.IsNullOrWhiteSpace(Listen.Grpc), "listen.grpc is required (e.g. 127.0.0.1:7001)");
        Require(path, InsecureDev || Tls is not null, "tls (certificate, key, ca) is required unless insecure_dev: true");
        foreach (var peer in Peers)
        {
            Require(path, !string.IsNullOrWhiteSpace(peer.Id) && Roles.IsKnown(peer.Role), $"each peer needs an id and a role (peer '{peer.Id}')");
            Require(path, Uri.TryCreate(peer.Address, UriKind.Absolute, out _), $"peer '{peer.Id}': address must be an absolute URL (got '{peer.Address}')");
            Require(path, string.IsNullOrEmpty(peer.Fingerprint) || PeerPins.IsWellFormed(peer.Fingerprint),
                $"peer '{peer.Id}': fingerprint must be sha256: followed by 64 hex digits (got '{peer.Fingerprint}')");
        }
        Require(path, ReceiveTimeoutSeconds > 0, "receive_timeout_seconds must be positive");
        Require(path, WatchdogSeconds >= 5, $"watchdog_seconds must be at least 5: the guest's keep-alive comes every second, and a shorter watchdog would fail slow but live jobs (got {WatchdogSeconds})");
        if (!string.IsNullOrEmpty(Listen.Board))
        {
            Require(path, System.Net.IPEndPoint.TryParse(Listen.Board, out var board), $"listen.board: '{Listen.Board}' is not an IP:port (e.g. 127.0.0.1:8080)");
            Require(path, System.Net.IPAddress.IsLoopback(board!.Address) || !string.IsNullOrWhiteSpace(Board.TokenFile),
                $"listen.board: {Listen.Board} is not a loopback address; a board reachable from other machines needs board.token_file "
                + "(a file whose first line is the bearer token), or bind it to 127.0.0.1");
        }
        foreach (var problem in Serving.Problems())
            Require(path, false, problem);
        foreach (var problem in Policy.Problems())
            Require(path, false, problem);
    }

    private void ResolvePaths(string baseDirectory)
    {
        string Resolve(string p) => string.IsNullOrEmpty(p) ? p : Path.GetFullPath(p, baseDirectory);
        if (Tls is not null)
            Tls = new TlsSection { Certificate = Resolve(Tls.Certificate), Key = Resolve(Tls.Key), Ca = Resolve(Tls.Ca) };
        Serving.ApiKeyFile = Resolve(Serving.ApiKeyFile);
        Data = Data.ToDictionary(kv => kv.Key, kv => Resolve(kv.Value));
        Board = new BoardSection { TokenFile = Resolve(Board.TokenFile) };
        WorkDir = Resolve(string.IsNullOrEmpty(WorkDir) ? $".vfl/{Party.Id}" : WorkDir);
        Store = ExpandEnvironment(Store);
        if (string.IsNullOrEmpty(Store))
            Store = "sqlite:" + Path.Combine(WorkDir, "vfl.db");
        else if (Store.StartsWith("sqlite:", StringComparison.Ordinal))
            Store = "sqlite:" + Resolve(Store["sqlite:".Length..]);
    }

    /// <summary>Replaces <c>${NAME}</c> with the environment variable, so passwords stay out of config files.</summary>
    private static string ExpandEnvironment(string value) =>
        System.Text.RegularExpressions.Regex.Replace(value, @"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", m =>
            Environment.GetEnvironmentVariable(m.Groups[1].Value)
            ?? throw new BadInputException($"The store setting refers to ${{{m.Groups[1].Value}}}, which is not set in the environment."));

    private static void Require(string path, bool condition, string problem)
    {
        if (!condition) throw new BadInputException($"{path}: {problem}.");
    }
}

public sealed class PartySection
{
    public string Id { get; set; } = "";
    public string Role { get; set; } = "";
}

public sealed class ListenSection
{
    /// <summary>host:port of the gRPC (mTLS) endpoint.</summary>
    public string Grpc { get; set; } = "";

    /// <summary>host:port of the plain-HTTP Prometheus endpoint; empty to disable.</summary>
    public string Metrics { get; set; } = "";

    /// <summary>IP:port of the board's plain-HTTP listener (docs/operations.md, "The board"); empty (the default) to disable.</summary>
    public string Board { get; set; } = "";
}

public sealed class BoardSection
{
    /// <summary>A file whose first line is the bearer token the board requires (readable by the party's user only).</summary>
    public string TokenFile { get; set; } = "";
}

public sealed class TlsSection
{
    public string Certificate { get; set; } = "";
    public string Key { get; set; } = "";
    public string Ca { get; set; } = "";
}

public sealed class PeerSection
{
    public string Id { get; set; } = "";
    public string Role { get; set; } = "";
    public string Address { get; set; } = "";

    /// <summary>Optional pin, <c>sha256:HEX</c> of the peer's certificate: any other certificate is refused in the handshake.</summary>
    public string Fingerprint { get; set; } = "";
}

/// <summary>The three roles of a federation.</summary>
public static class Roles
{
    public const string Guest = "guest";
    public const string Host = "host";
    public const string Arbiter = "arbiter";

    public static bool IsKnown(string role) => role is Guest or Host or Arbiter;
}
