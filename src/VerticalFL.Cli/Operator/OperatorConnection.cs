using Grpc.Core;
using VerticalFL.Contracts.V1;
using VerticalFL.Ml.Data;
using VerticalFL.Party.Config;
using VerticalFL.Transport.Client;

namespace VerticalFL.Cli.Operator;

/// <summary>
/// The CLI talking to a running party as that party's operator: it presents the party's own certificate
/// (from its config), which is what the Operator API requires.
/// </summary>
internal sealed class OperatorConnection : IDisposable
{
    private readonly FederationClient _client;

    private OperatorConnection(PartyConfig config, FederationClient client)
    {
        Config = config;
        _client = client;
        Operator = new Contracts.V1.Operator.OperatorClient(client.Invoker(config.Party.Id));
        HostOperator = new Contracts.V1.HostOperator.HostOperatorClient(client.Invoker(config.Party.Id));
    }

    public PartyConfig Config { get; }
    public Contracts.V1.Operator.OperatorClient Operator { get; }

    /// <summary>A host's operator API (approve/decline); only a host serves it.</summary>
    public Contracts.V1.HostOperator.HostOperatorClient HostOperator { get; }
    public Grpc.Health.V1.Health.HealthClient Health => _client.Health(Config.Party.Id);

    public static OperatorConnection Open(string configPath, TimeSpan? callTimeout = null)
    {
        var config = PartyConfig.Load(configPath);
        var client = new FederationClient(new FederationClientOptions
        {
            PartyId = config.Party.Id,
            Peers = new Dictionary<string, Uri> { [config.Party.Id] = OwnAddress(config) },
            CertificatePath = config.Tls?.Certificate,
            KeyPath = config.Tls?.Key,
            CaPath = config.Tls?.Ca,
            InsecureDev = config.InsecureDev,
            CallTimeout = callTimeout ?? TimeSpan.FromMinutes(5),
        });
        return new OperatorConnection(config, client);
    }

    public void Dispose() => _client.Dispose();

    /// <summary>Where to reach this party from its own machine: a wildcard listen address means loopback.</summary>
    private static Uri OwnAddress(PartyConfig config)
    {
        if (!System.Net.IPEndPoint.TryParse(config.Listen.Grpc, out var endpoint))
            throw new BadInputException($"listen.grpc: '{config.Listen.Grpc}' is not an IP:port.");
        string host = endpoint.Address.Equals(System.Net.IPAddress.Any) ? "127.0.0.1" : endpoint.Address.ToString();
        return new Uri($"{(config.InsecureDev ? "http" : "https")}://{host}:{endpoint.Port}");
    }

    /// <summary>Maps a failed operator call to the CLI's exit codes: bad input (2) or a failed job (1).</summary>
    public static Exception Translate(RpcException e) => e.StatusCode switch
    {
        StatusCode.InvalidArgument or StatusCode.NotFound => new BadInputException(e.Status.Detail),
        StatusCode.Unavailable => new JobFailedException($"the party is not reachable ({e.Status.Detail}); is `vfl party` running?"),
        _ => new JobFailedException(e.Status.Detail),
    };
}
