using System.CommandLine;
using VerticalFL.Contracts.V1;

namespace VerticalFL.Cli.Commands;

/// <summary><c>vfl predict</c>: federated batch prediction with the model parts of a finished training job.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "The guest's party config", Required = true };
        var model = new Option<string>("--model-job") { Description = "The training job whose models to use", Required = true }.Checked();
        var data = new Option<string>("--data") { Description = "Guest data source name to score (default: the training job's)" };
        var hostData = new Option<string[]>("--host-data") { Description = "HOST=NAME: a host's data source to use (default: the training job's)", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out") { Description = "Where to write id,probability,label (CSV)" };
        var command = new Command("predict", "Score ids every party holds with a trained federated model") { config, model, data, hostData, output };
        command.SetAction((parse, ct) => JobCommand.Call(parse.GetValue(config)!, async connection =>
        {
            var request = new PredictRequest
            {
                ModelJobId = parse.GetValue(model)!,
                GuestData = parse.GetValue(data) ?? "",
                OutputPath = parse.GetValue(output) is { } o ? Path.GetFullPath(o) : "",
            };
            foreach (var pair in parse.GetValue(hostData) ?? [])
            {
                var parts = pair.Split('=', 2);
                if (parts.Length != 2) throw new ArgumentException($"--host-data: '{pair}' is not HOST=NAME.");
                request.HostData[parts[0]] = parts[1];
            }
            var reply = await connection.Operator.PredictAsync(request, cancellationToken: ct);
            Console.WriteLine($"prediction job {reply.JobId}: {reply.Rows} rows → {reply.OutputPath}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
