using System.CommandLine;
using System.Globalization;
using System.Text;
using VerticalFL.Contracts.V1;
using VerticalFL.Ml.Data;
using VerticalFL.Ml.Metrics;
using VerticalFL.Protocol.Models;

namespace VerticalFL.Cli.Commands;

/// <summary>
/// <c>vfl predict</c>: federated batch prediction with the model parts of a finished training job (<c>--config</c>,
/// <c>--model-job</c>), or, with <c>--model</c>, a horizontal job's global model scoring a local file alone.
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "The guest's party config (federated prediction)" };
        var model = new Option<string>("--model-job") { Description = "The training job whose models to use (federated prediction)" }.Checked();
        var data = new Option<string>("--data") { Description = "Federated: guest data source name to score (default: the training job's). With --model: the CSV file to score" };
        var hostData = new Option<string[]>("--host-data") { Description = "HOST=NAME: a host's data source to use (default: the training job's)", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out") { Description = "Where to write id,probability,label (CSV)" };
        var horizontal = new Option<string>("--model") { Description = "A horizontal job's model file (model.json in any party's job directory): scores --data locally, no other party involved" };
        var idColumn = new Option<string>("--id-column") { Description = "With --model: the id column of --data", DefaultValueFactory = _ => "id" };
        var labelColumn = new Option<string>("--label-column") { Description = "With --model: a label column of --data, if any, to report the AUC against", DefaultValueFactory = _ => "y" };
        var command = new Command("predict", "Score ids every party holds with a trained federated model, or a local file with a horizontal model")
        {
            config, model, data, hostData, output, horizontal, idColumn, labelColumn,
        };
        command.SetAction((parse, ct) =>
        {
            if (parse.GetValue(horizontal) is { } modelPath)
                return Task.FromResult(ScoreLocally(modelPath, parse.GetValue(data), parse.GetValue(output), parse.GetValue(idColumn)!, parse.GetValue(labelColumn)!));
            if (parse.GetValue(config) is not { } configPath || parse.GetValue(model) is not { } modelJob)
                throw new BadInputException("vfl predict needs --config and --model-job (federated prediction), or --model and --data (a horizontal model on a local file).");
            return JobCommand.Call(configPath, async connection =>
            {
                var request = new PredictRequest
                {
                    ModelJobId = modelJob,
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
            });
        });
        return command;
    }

    /// <summary>
    /// Scores <paramref name="dataPath"/> with a horizontal model: its columns must be the model's (by name and order); the
    /// agreed standardisation travels in the model. Binary models write id,probability,label (label at 0.5); softmax
    /// models id,class,probability.
    /// </summary>
    private static int ScoreLocally(string modelPath, string? dataPath, string? outputPath, string idColumn, string labelColumn)
    {
        if (dataPath is null)
            throw new BadInputException("--model needs --data FILE: the CSV to score.");
        var horizontal = ModelFile.LoadHorizontal(modelPath);
        if (!File.Exists(dataPath))
            throw new BadInputException($"{dataPath}: file not found.");
        string header = File.ReadLines(dataPath).FirstOrDefault() ?? "";
        bool labelled = header.Split(',').Select(h => h.Trim()).Contains(labelColumn);
        var data = CsvDatasetReader.Read(dataPath, new CsvReadOptions { IdColumn = idColumn, LabelColumn = labelled ? labelColumn : null }).Dataset;
        var probabilities = horizontal.Predict(data);
        string output = Path.GetFullPath(outputPath ?? Path.ChangeExtension(dataPath, null) + ".scores.csv");
        var text = new StringBuilder(horizontal.Classes == 2 ? "id,probability,label\n" : "id,class,probability\n");
        for (int r = 0; r < data.Rows; r++)
        {
            var p = probabilities[r];
            int best = Array.IndexOf(p, p.Max());
            text.Append(data.Ids[r]).Append(',')
                .Append(horizontal.Classes == 2
                    ? string.Create(CultureInfo.InvariantCulture, $"{p[1]:0.######},{(p[1] >= 0.5 ? 1 : 0)}")
                    : string.Create(CultureInfo.InvariantCulture, $"{best},{p[best]:0.######}"))
                .Append('\n');
        }
        File.WriteAllText(output, text.ToString());
        Console.WriteLine($"scored {data.Rows} rows of {dataPath} with the horizontal model {modelPath} (no other party involved) → {output}");
        if (labelled && horizontal.Classes == 2 && data.Labels is { } labels)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"AUC {BinaryMetrics.Auc(probabilities.Select(p => p[1]).ToArray(), labels):0.0000} against column '{labelColumn}'"));
        return ExitCodes.Success;
    }
}
