using System.CommandLine;
using VerticalFL.Contracts.V1;

namespace VerticalFL.Cli.Commands;

/// <summary>
/// <c>vfl job approve|decline</c>: the host operator's decision on a job waiting under the host's
/// <c>policy.require_approval</c>, made against the host's own service with the host's own certificate.
/// </summary>
internal static class JobApprovalCommands
{
    private static readonly Option<string> Config = new("--config")
    {
        Description = "The host's party config (the CLI uses its certificate and address)", Required = true,
    };

    public static Command Approve()
    {
        var id = new Argument<string>("job-id") { Description = "A job waiting for this host's approval" };
        var command = new Command("approve", "Host operator: let a job waiting for this host's approval run") { Config, id };
        command.SetAction((parse, ct) => JobCommand.Call(parse.GetValue(Config)!, async connection =>
        {
            var reply = await connection.HostOperator.ApproveAsync(new JobDecision { JobId = parse.GetValue(id)! }, cancellationToken: ct);
            Console.WriteLine($"{reply.JobId}: {reply.Message}");
            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command Decline()
    {
        var id = new Argument<string>("job-id") { Description = "A job waiting for this host's approval" };
        var reason = new Option<string>("--reason") { Description = "Why (shown to the guest's operator and stored with the job)" };
        var command = new Command("decline", "Host operator: refuse a job waiting for this host's approval") { Config, id, reason };
        command.SetAction((parse, ct) => JobCommand.Call(parse.GetValue(Config)!, async connection =>
        {
            var request = new JobDecision { JobId = parse.GetValue(id)!, Reason = parse.GetValue(reason) ?? "" };
            var reply = await connection.HostOperator.DeclineAsync(request, cancellationToken: ct);
            Console.WriteLine($"{reply.JobId}: {reply.Message}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
