using System.CommandLine;
using Grpc.Core;
using VerticalFL.Cli.Operator;
using VerticalFL.Contracts.V1;
using VerticalFL.Ml.Data;

namespace VerticalFL.Cli.Commands;

/// <summary>
/// <c>vfl job submit|status|list|cancel|show</c> against a running party: list, show and status for every party's
/// operator (each over its own store), submit, cancel and resume at the guest.
/// </summary>
internal static class JobCommand
{
    private static readonly Option<string> Config = new("--config")
    {
        Description = "The party's config (the CLI uses its certificate and address): list, show and status work at every party, the rest at the guest",
        Required = true,
    };
    private static readonly Option<bool> Json = new("--json") { Description = "Print one JSON object" };

    public static Command Create()
    {
        var job = new Command("job", "Inspect jobs on any running party; submit and cancel them on the guest; approve or decline them on a host");
        job.Subcommands.Add(Submit());
        job.Subcommands.Add(Show("status", "Print a job's state"));
        job.Subcommands.Add(Show("show", "Print a job's state, metrics and timings"));
        job.Subcommands.Add(List());
        job.Subcommands.Add(Cancel());
        job.Subcommands.Add(Resume());
        job.Subcommands.Add(JobApprovalCommands.Approve());
        job.Subcommands.Add(JobApprovalCommands.Decline());
        return job;
    }

    private static Command Submit()
    {
        var spec = new Argument<string>("spec") { Description = "The job spec (YAML; see deploy/config/job.yaml)" };
        var wait = new Option<bool>("--wait") { Description = "Follow the job until it ends; exit 1 if it fails" };
        var command = new Command("submit", "Submit a job to the guest") { Config, spec, wait, Json };
        command.SetAction((parse, ct) => Call(parse.GetValue(Config)!, async connection =>
        {
            string path = parse.GetValue(spec)!;
            if (!File.Exists(path)) throw new BadInputException($"{path}: file not found.");
            var reply = await connection.Operator.SubmitAsync(
                new SubmitJobRequest { SpecYaml = await File.ReadAllTextAsync(path, ct), Source = path }, cancellationToken: ct);
            if (!parse.GetValue(wait))
            {
                Console.WriteLine(parse.GetValue(Json) ? $"{{\"job_id\": \"{reply.JobId}\"}}" : reply.JobId);
                return ExitCodes.Success;
            }
            await JobWatcher.FollowAsync(connection, reply.JobId, parse.GetValue(Json), ct);
            return await PrintAsync(connection, reply.JobId, parse.GetValue(Json), ct);
        }));
        return command;
    }

    private static Command Show(string name, string description)
    {
        var id = JobIdValidation.Argument("job-id");
        var command = new Command(name, description) { Config, id, Json };
        command.SetAction((parse, ct) => Call(parse.GetValue(Config)!,
            connection => PrintAsync(connection, parse.GetValue(id)!, parse.GetValue(Json), ct)));
        return command;
    }

    private static Command List()
    {
        var state = new Option<string>("--state") { Description = "Only jobs in this state (pending, psi, training, evaluating, succeeded, failed, cancelled)" };
        var command = new Command("list", "List this party's jobs, newest first") { Config, state, Json };
        command.SetAction((parse, ct) => Call(parse.GetValue(Config)!, async connection =>
        {
            var reply = await connection.Operator.ListAsync(new ListJobsRequest { State = parse.GetValue(state) ?? "", Limit = 100 }, cancellationToken: ct);
            if (parse.GetValue(Json))
                Console.WriteLine(Google.Protobuf.JsonFormatter.Default.Format(reply));
            else
                foreach (var j in reply.Jobs)
                    Console.WriteLine($"{j.JobId}  {j.State,-10}  {DateTimeOffset.FromUnixTimeMilliseconds(j.CreatedUnixMs):u}  {j.Name}  {j.Reason}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Cancel()
    {
        var id = JobIdValidation.Argument("job-id");
        var reason = new Option<string>("--reason") { Description = "Why (stored with the job)" };
        var command = new Command("cancel", "Cancel a running job at every party") { Config, id, reason };
        command.SetAction((parse, ct) => Call(parse.GetValue(Config)!, async connection =>
        {
            CancelJobReply reply;
            try
            {
                reply = await connection.Operator.CancelAsync(
                    new CancelJobRequest { JobId = parse.GetValue(id)!, Reason = parse.GetValue(reason) ?? "" }, cancellationToken: ct);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition)
            {
                throw new BadInputException(e.Status.Detail);   // the job has already ended: exit 2, not "job failed"
            }
            Console.WriteLine($"{reply.JobId}: {reply.State.ToString().ToLowerInvariant()}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Resume()
    {
        var id = JobIdValidation.Argument("job-id", "A training job that failed or was cancelled after completing some epochs");
        var wait = new Option<bool>("--wait") { Description = "Follow the new job until it ends; exit 1 if it fails" };
        var command = new Command("resume", "Start a new job that continues a failed one from every party's last checkpoint") { Config, id, wait, Json };
        command.SetAction((parse, ct) => Call(parse.GetValue(Config)!, async connection =>
        {
            string previous = parse.GetValue(id)!;
            var old = await connection.Operator.GetAsync(new JobRef { JobId = previous }, cancellationToken: ct);
            if (old.Summary.State is not ("failed" or "cancelled"))
                throw new BadInputException($"job {previous} is {old.Summary.State}; only a failed or cancelled job can be resumed.");
            var spec = Party.Jobs.JobSpec.ParseYaml(old.SpecYaml, $"job {previous}");
            spec.ResumeFrom = previous;
            var reply = await connection.Operator.SubmitAsync(new SubmitJobRequest { SpecYaml = spec.ToJson(), Source = $"resume of {previous}" }, cancellationToken: ct);
            if (!parse.GetValue(wait))
            {
                Console.WriteLine(reply.JobId);
                return ExitCodes.Success;
            }
            await JobWatcher.FollowAsync(connection, reply.JobId, parse.GetValue(Json), ct);
            return await PrintAsync(connection, reply.JobId, parse.GetValue(Json), ct);
        }));
        return command;
    }

    /// <summary>Prints a job's report; exit code 1 when the job failed or was cancelled.</summary>
    internal static async Task<int> PrintAsync(OperatorConnection connection, string jobId, bool json, CancellationToken ct)
    {
        var report = await connection.Operator.GetAsync(new JobRef { JobId = jobId }, cancellationToken: ct);
        if (json)
            Console.WriteLine(JobResult.Serialize(JobResult.ToJson(report, connection.Config.Store)));
        else
            JobResult.Print(report);
        return report.Summary.State is "failed" or "cancelled" ? ExitCodes.JobFailed : ExitCodes.Success;
    }

    /// <summary>Opens the operator connection from a config and maps call failures to exit codes.</summary>
    internal static async Task<int> Call(string configPath, Func<OperatorConnection, Task<int>> action)
    {
        using var connection = OperatorConnection.Open(configPath);
        try
        {
            return await action(connection);
        }
        catch (RpcException e)
        {
            throw OperatorConnection.Translate(e);
        }
    }
}
