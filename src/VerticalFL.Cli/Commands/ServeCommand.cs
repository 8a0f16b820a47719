using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using VerticalFL.Contracts.V1;

namespace VerticalFL.Cli.Commands;

/// <summary><c>vfl serve deploy|list|undeploy|predict</c>: online prediction at the guest (docs/operations.md, "Serving").</summary>
internal static class ServeCommand
{
    private static Option<string> Config() => new("--config") { Description = "The guest's party config", Required = true };

    public static Command Create()
    {
        var serve = new Command("serve", "Online prediction: deploy a trained model for scoring ids in milliseconds");
        serve.Subcommands.Add(Deploy());
        serve.Subcommands.Add(List());
        serve.Subcommands.Add(Undeploy());
        serve.Subcommands.Add(Predict());
        return serve;
    }

    private static Command Deploy()
    {
        var config = Config();
        var model = new Option<string>("--model-job") { Description = "The training job whose model parts to serve", Required = true }.Checked();
        var name = new Option<string>("--name") { Description = "Deployment name (default: default); a new model job under a name replaces the old one", DefaultValueFactory = _ => "default" };
        var fallback = new Option<bool>("--allow-guest-only-fallback") { Description = "When a host is down or late, answer with the guest's part alone, flagged guest_only" };
        var command = new Command("deploy", "Have every host load its part and rows; switch to this version once all have") { config, model, name, fallback };
        command.SetAction((parse, ct) => JobCommand.Call(parse.GetValue(config)!, async connection =>
        {
            var reply = await connection.Operator.DeployAsync(new DeployRequest
            {
                Name = parse.GetValue(name)!, ModelJobId = parse.GetValue(model)!, AllowGuestOnlyFallback = parse.GetValue(fallback),
            }, cancellationToken: ct);
            var d = reply.Deployment;
            Console.WriteLine($"{d.Name}: serving model job {d.ModelJobId} with hosts {string.Join(", ", d.Hosts)} ({d.GuestRows} guest rows)"
                              + (reply.PreviousModelJobId.Length > 0 ? $"; replaced {reply.PreviousModelJobId}" : ""));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command List()
    {
        var config = Config();
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var command = new Command("list", "The deployments the guest serves") { config, json };
        command.SetAction((parse, ct) => JobCommand.Call(parse.GetValue(config)!, async connection =>
        {
            var reply = await connection.Operator.ListDeploymentsAsync(new ListDeploymentsRequest(), cancellationToken: ct);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    deployments = reply.Deployments.Select(d => new
                    {
                        name = d.Name, model_job_id = d.ModelJobId, hosts = d.Hosts.ToArray(), allow_guest_only_fallback = d.AllowGuestOnlyFallback,
                        deployed = DateTimeOffset.FromUnixTimeMilliseconds(d.DeployedUnixMs).ToString("o"), guest_rows = d.GuestRows,
                    }),
                }));
                return ExitCodes.Success;
            }
            foreach (var d in reply.Deployments)
                Console.WriteLine($"{d.Name}\t{d.ModelJobId}\thosts {string.Join(",", d.Hosts)}\t{(d.AllowGuestOnlyFallback ? "fallback" : "no fallback")}\t"
                                  + DateTimeOffset.FromUnixTimeMilliseconds(d.DeployedUnixMs).ToString("u"));
            if (reply.Deployments.Count == 0)
                Console.WriteLine("(nothing deployed)");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Undeploy()
    {
        var config = Config();
        var name = new Option<string>("--name") { Description = "Deployment name", Required = true };
        var command = new Command("undeploy", "Stop serving a deployment; hosts unload it once its last request ended") { config, name };
        command.SetAction((parse, ct) => JobCommand.Call(parse.GetValue(config)!, async connection =>
        {
            var reply = await connection.Operator.UndeployAsync(new UndeployRequest { Name = parse.GetValue(name)! }, cancellationToken: ct);
            Console.WriteLine($"{parse.GetValue(name)}: undeployed (was model job {reply.ModelJobId})");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Predict()
    {
        var config = Config();
        var name = new Option<string>("--name") { Description = "Deployment name", DefaultValueFactory = _ => "default" };
        var ids = new Option<string[]>("--ids") { Description = "Ids to score", Required = true, AllowMultipleArgumentsPerToken = true };
        var command = new Command("predict", "Score ids now with a deployment (id, score, probability per line)") { config, name, ids };
        command.SetAction((parse, ct) => JobCommand.Call(parse.GetValue(config)!, async connection =>
        {
            var request = new OnlinePredictRequest { Name = parse.GetValue(name)! };
            request.Ids.AddRange(parse.GetValue(ids)!.SelectMany(i => i.Split(',', StringSplitOptions.RemoveEmptyEntries)));
            var reply = await connection.Operator.PredictOnlineAsync(request, cancellationToken: ct);
            foreach (var s in reply.Scores)
                Console.WriteLine(s.Error.Length > 0
                    ? $"{s.Id}\terror: {s.Error}"
                    : string.Create(CultureInfo.InvariantCulture, $"{s.Id}\t{s.Score:R}\t{s.Probability:R}{(s.GuestOnly ? "\tguest_only" : "")}"));
            return ExitCodes.Success;
        }));
        return command;
    }
}
