using System.Globalization;
using System.Text;
using Grpc.Core;
using VerticalFL.Cli.Operator;
using VerticalFL.Contracts.V1;

namespace VerticalFL.Cli.Local;

/// <summary>What `vfl demo` and `vfl run` ask for: whose files, which columns, which training parameters, which store.</summary>
internal sealed record FederatedRunRequest(
    string WorkDir, string GuestData, IReadOnlyList<string> HostData, string IdColumn, string LabelColumn,
    IReadOnlyDictionary<string, string> Training, string? Store, bool Json, bool AllowSmallBatches = false, bool KeepBoard = false,
    int ReceiveTimeoutSeconds = 120, bool Horizontal = false);

/// <summary>
/// Runs one training job on a local three-(or more-)process federation: prepare keys and configs,
/// start the parties, submit the job to the guest, follow it, fetch the report, stop the parties.
/// </summary>
internal static class FederatedRun
{
    /// <param name="whileBoardServes">With <see cref="FederatedRunRequest.KeepBoard"/>: called with the report before the board is kept
    /// up until Ctrl+C (so the summary is printed first).</param>
    public static async Task<JobReport> RunAsync(FederatedRunRequest request, CancellationToken ct, Action<JobReport>? whileBoardServes = null)
    {
        foreach (var file in request.HostData.Prepend(request.GuestData))
            if (!File.Exists(file)) throw new Ml.Data.BadInputException($"{file}: file not found.");
        using var federation = LocalFederation.Prepare(request.WorkDir, request.GuestData, request.HostData, request.Store,
            allowSmallBatches: request.AllowSmallBatches, guestBoard: true, receiveTimeoutSeconds: request.ReceiveTimeoutSeconds);
        Say(request, request.Horizontal
            ? $"starting {federation.Hosts.Count + 1} data parties and the arbiter on loopback with mTLS (logs in {federation.Directory})"
            : $"starting {federation.Hosts.Count + 2} parties on loopback with mTLS (logs in {federation.Directory})");
        await federation.StartAsync(TimeSpan.FromSeconds(60), ct);
        // On stderr with --json, so stdout stays one JSON object.
        (request.Json ? Console.Error : Console.Out).WriteLine($"board of the guest: {federation.BoardAddress}");
        string specPath = Path.Combine(federation.Directory, "job.yaml");
        await File.WriteAllTextAsync(specPath, JobYaml(request, federation), ct);
        using var connection = OperatorConnection.Open(federation.GuestConfig, TimeSpan.FromMinutes(2));
        try
        {
            var submitted = await connection.Operator.SubmitAsync(
                new SubmitJobRequest { SpecYaml = await File.ReadAllTextAsync(specPath, ct), Source = specPath }, cancellationToken: ct);
            Say(request, $"job {submitted.JobId} submitted to the guest");
            await JobWatcher.FollowAsync(connection, submitted.JobId, request.Json, ct);
            var report = await connection.Operator.GetAsync(new JobRef { JobId = submitted.JobId }, cancellationToken: ct);
            if (request.KeepBoard)
                await KeepBoardAsync(request, federation, report, whileBoardServes, ct);
            return report;
        }
        catch (RpcException e)
        {
            throw OperatorConnection.Translate(e);
        }
    }

    /// <summary>Keeps the parties (and so the guest's board) up after the job until Ctrl+C.</summary>
    private static async Task KeepBoardAsync(FederatedRunRequest request, LocalFederation federation, JobReport report,
        Action<JobReport>? whileBoardServes, CancellationToken ct)
    {
        whileBoardServes?.Invoke(report);
        (request.Json ? Console.Error : Console.Out).WriteLine($"the board stays up at {federation.BoardAddress} until Ctrl+C");
        // Ctrl+C: the parties stop (disposing the federation) and the command returns the job's exit code.
        await Commands.StopSignal.WaitAsync(ct);
    }

    private static string JobYaml(FederatedRunRequest request, LocalFederation federation)
    {
        if (request.Horizontal)
            return HorizontalJobYaml(request, federation);
        var yaml = new StringBuilder()
            .AppendLine("name: local-run")
            .AppendLine($"psi: {{ id_column: \"{request.IdColumn}\" }}")
            .AppendLine("data:")
            .AppendLine("  guest: customers")
            .AppendLine($"  label_column: \"{request.LabelColumn}\"")
            .AppendLine("  hosts:");
        foreach (var host in federation.Hosts)
            yaml.AppendLine($"    {host}: subscribers");
        yaml.AppendLine($"arbiter: {LocalFederation.Arbiter}").AppendLine("training:");
        foreach (var (name, value) in request.Training)
            yaml.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  {name}: \"{value}\""));
        return yaml.ToString();
    }

    /// <summary>Every party's file is its data source (the guest's "customers", each host's "subscribers"); the arbiter aggregates.</summary>
    private static string HorizontalJobYaml(FederatedRunRequest request, LocalFederation federation)
    {
        var yaml = new StringBuilder()
            .AppendLine("name: local-horizontal")
            .AppendLine("kind: horizontal")
            .AppendLine("data:")
            .AppendLine($"  {LocalFederation.Guest}: customers");
        foreach (var host in federation.Hosts)
            yaml.AppendLine($"  {host}: subscribers");
        yaml.AppendLine($"id_column: \"{request.IdColumn}\"")
            .AppendLine($"label_column: \"{request.LabelColumn}\"")
            .AppendLine($"aggregator: {LocalFederation.Arbiter}")
            .AppendLine("training:");
        foreach (var (name, value) in request.Training)
            yaml.AppendLine(value.StartsWith('[') ? $"  {name}: {value}" : $"  {name}: \"{value}\"");
        return yaml.ToString();
    }

    private static void Say(FederatedRunRequest request, string line)
    {
        if (!request.Json) Console.WriteLine(line);
    }
}
