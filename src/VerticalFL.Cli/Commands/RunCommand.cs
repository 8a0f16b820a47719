using System.CommandLine;
using VerticalFL.Cli.Local;
using VerticalFL.Cli.Operator;

namespace VerticalFL.Cli.Commands;

/// <summary>
/// <c>vfl run</c>: the demo's pipeline on the user's own files — each file is read only by its own party's process.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var guestData = new Option<string>("--guest-data") { Description = "The guest's CSV (id, label, features)" };
        var hostData = new Option<string[]>("--host-data") { Description = "A host's CSV (id, features); repeat for several hosts" };
        var data = new Option<string[]>("--data") { Description = "--horizontal: one data party's CSV (id, label, the same features at every party); repeat for each party, the first is the guest's" };
        var idColumn = new Option<string>("--id-column") { Description = "Id column in every file", DefaultValueFactory = _ => "id" };
        var labelColumn = new Option<string>("--label-column") { Description = "Label column (0/1) in the guest's file", DefaultValueFactory = _ => "y" };
        var store = new Option<string>("--store") { Description = "The guest's store: sqlite:PATH (default: in --work-dir) or mysql:CONNECTION-STRING" };
        var workDir = new Option<string>("--work-dir") { Description = "Where keys, configs, logs, models and stores go", DefaultValueFactory = _ => ".vfl/run" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the results" };
        var smallBatches = SmallBatchesOption.Create();
        var board = BoardOption();
        var receiveTimeout = new Option<int>("--receive-timeout")
        {
            Description = "Seconds each party waits for a peer's message before failing the job (large data on a busy machine: the arbiter waits " +
                "while the hosts prepare their columns)",
            DefaultValueFactory = _ => 120,
        };
        receiveTimeout.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1) r.AddError("--receive-timeout must be at least 1 second.");
        });
        var training = new TrainingOptions();
        var horizontal = new HorizontalOptions();
        var command = new Command("run", "Run PSI + federated training + evaluation on your own files (three local processes, mTLS); --horizontal: rows split across parties")
        {
            guestData, hostData, data, idColumn, labelColumn, store, workDir, json, smallBatches, board, receiveTimeout,
        };
        training.AddTo(command);
        horizontal.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            FederatedRunRequest request;
            if (horizontal.IsSet(parse))
            {
                var files = parse.GetValue(data) ?? [];
                if (files.Length < 2)
                    throw new Ml.Data.BadInputException("--horizontal needs --data FILE at least twice: one file per data party (the first is the guest's).");
                if (parse.GetResult(guestData) is not null || parse.GetResult(hostData) is not null)
                    throw new Ml.Data.BadInputException("--horizontal takes --data FILE per party, not --guest-data/--host-data.");
                request = new FederatedRunRequest(parse.GetValue(workDir)!, files[0], files[1..], parse.GetValue(idColumn)!, parse.GetValue(labelColumn)!,
                    horizontal.Read(parse, command), parse.GetValue(store), parse.GetValue(json), KeepBoard: parse.GetValue(board), ReceiveTimeoutSeconds: parse.GetValue(receiveTimeout), Horizontal: true);
            }
            else
            {
                if (parse.GetValue(guestData) is null || parse.GetValue(hostData) is not { Length: > 0 })
                    throw new Ml.Data.BadInputException("vfl run needs --guest-data FILE and --host-data FILE (or --horizontal with --data FILE per party).");
                if (parse.GetResult(data) is not null)
                    throw new Ml.Data.BadInputException("--data FILE is for --horizontal runs; a vertical run takes --guest-data and --host-data.");
                request = new FederatedRunRequest(parse.GetValue(workDir)!, parse.GetValue(guestData)!, parse.GetValue(hostData)!,
                    parse.GetValue(idColumn)!, parse.GetValue(labelColumn)!, training.Read(parse, parse.GetValue(hostData)!.Length), parse.GetValue(store), parse.GetValue(json),
                    parse.GetValue(smallBatches), parse.GetValue(board), parse.GetValue(receiveTimeout));
            }
            int? code = null;
            var report = await FederatedRun.RunAsync(request, ct, r => code = Finish(r, request, StoreOf(request)));
            return code ?? Finish(report, request, StoreOf(request));
        });
        return command;
    }

    /// <summary><c>--board</c>: keep the guest's board up after the job ends, until Ctrl+C.</summary>
    internal static Option<bool> BoardOption() =>
        new("--board") { Description = "Keep the guest's board (printed at start) serving after the job ends, until Ctrl+C" };

    internal static string StoreOf(FederatedRunRequest request) =>
        request.Store ?? "sqlite:" + Path.Combine(Path.GetFullPath(request.WorkDir), LocalFederation.Guest, "vfl.db");

    /// <summary>Prints the report (human or JSON) and maps the job's end to an exit code: 2 when it failed on its input data.</summary>
    internal static int Finish(Contracts.V1.JobReport report, FederatedRunRequest request, string store,
        Action<System.Text.Json.Nodes.JsonObject>? addJson = null, Action? addText = null)
    {
        if (request.Json)
        {
            var json = JobResult.ToJson(report, RedactedStore(store));
            addJson?.Invoke(json);
            Console.WriteLine(JobResult.Serialize(json));
        }
        else
        {
            JobResult.Print(report);
            addText?.Invoke();
            Console.WriteLine($"  store             {RedactedStore(store)}");
        }
        if (report.Summary.State == "succeeded")
            return ExitCodes.Success;
        if (!BadDataReason.Matches(report.Summary.Reason, request.HostData.Prepend(request.GuestData)))
            return ExitCodes.JobFailed;
        Console.Error.WriteLine($"error: bad input data: {report.Summary.Reason}");
        return ExitCodes.BadInput;
    }

    private static string RedactedStore(string store) => VerticalFL.Storage.StoreConnection.Parse(store).ToString();
}
