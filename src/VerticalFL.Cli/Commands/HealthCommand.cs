using System.CommandLine;
using Grpc.Core;
using VerticalFL.Cli.Operator;
using Grpc.Health.V1;

namespace VerticalFL.Cli.Commands;

/// <summary><c>vfl health --config FILE</c>: the standard gRPC health check against a party, over mTLS with its own certificate (readiness probes).</summary>
internal static class HealthCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "The party's config", Required = true };
        var peers = new Option<bool>("--peers")
        {
            Description = "Instead, check from here that each configured peer answers and accepts this party's certificate",
        };
        var command = new Command("health", "Exit 0 if the party answers SERVING to grpc.health.v1.Health/Check") { config, peers };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(peers))
                return await PeerHealth.CheckAsync(parse.GetValue(config)!, ct);
            using var connection = OperatorConnection.Open(parse.GetValue(config)!, TimeSpan.FromSeconds(5));
            try
            {
                var reply = await connection.Health.CheckAsync(new HealthCheckRequest(), cancellationToken: ct);
                Console.WriteLine(reply.Status);
                return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving ? ExitCodes.Success : ExitCodes.JobFailed;
            }
            catch (RpcException e)
            {
                Console.Error.WriteLine($"unhealthy: {e.StatusCode} {e.Status.Detail}");
                return ExitCodes.JobFailed;
            }
        });
        return command;
    }
}
