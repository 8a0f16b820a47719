using Grpc.Core;
using Grpc.Health.V1;
using VerticalFL.Party.Config;
using VerticalFL.Transport.Client;

namespace VerticalFL.Cli.Commands;

/// <summary>
/// <c>vfl health --peers</c>: from this party's machine, with its own certificate, calls each configured peer's
/// health check. A peer that answers has accepted this party's certificate (mutual TLS) and presented its own, for
/// the party id this config expects at that address. One line per peer; exit 1 if any fails.
/// </summary>
internal static class PeerHealth
{
    public static async Task<int> CheckAsync(string configPath, CancellationToken ct)
    {
        var config = PartyConfig.Load(configPath);
        using var client = new FederationClient(PeerClientOptions.For(config, callTimeout: TimeSpan.FromSeconds(5)));
        var lines = await Task.WhenAll(config.Peers.Select(peer => CheckPeerAsync(client, peer, ct)));
        foreach (var (_, line) in lines)
            Console.WriteLine(line);
        return lines.All(l => l.Ok) ? ExitCodes.Success : ExitCodes.JobFailed;
    }

    private static async Task<(bool Ok, string Line)> CheckPeerAsync(FederationClient client, PeerSection peer, CancellationToken ct)
    {
        string name = $"{peer.Id} ({peer.Role}, {peer.Address})";
        try
        {
            var reply = await client.Health(peer.Id).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: ct);
            bool serving = reply.Status == HealthCheckResponse.Types.ServingStatus.Serving;
            return (serving, $"{name}: {reply.Status.ToString().ToUpperInvariant()}{(serving ? ", accepts this party's certificate" : "")}");
        }
        catch (RpcException e)
        {
            return (false, $"{name}: FAILED: {client.Describe(peer.Id, e)}");
        }
    }
}
