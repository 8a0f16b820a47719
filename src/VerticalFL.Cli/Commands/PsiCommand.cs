using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Psi;

namespace VerticalFL.Cli.Commands;

/// <summary>
/// <c>vfl psi</c>: intersects two CSV files by id and writes each one's aligned rows. Both roles run in
/// this process over an in-memory federation until each side runs as its own service.
/// </summary>
internal static class PsiCommand
{
    internal const string Guest = "left";
    internal const string Host = "right";

    public static Command Create()
    {
        var left = new Option<string>("--left") { Description = "CSV of the guest (initiating) side", Required = true };
        var right = new Option<string>("--right") { Description = "CSV of the host side", Required = true };
        var idColumn = new Option<string>("--id-column") { Description = "Name of the id column in both files", DefaultValueFactory = _ => "id" };
        var keepFirst = new Option<bool>("--keep-first") { Description = "Keep the first row of a repeated id instead of refusing the file" };
        var outDir = new Option<string>("--out") { Description = "Directory for left.csv and right.csv", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON" };
        var command = new Command("psi", "Private set intersection of two CSV files (ECDH over ristretto255)")
        {
            left, right, idColumn, keepFirst, outDir, json,
        };
        // ExitCodes.RunAsync here too: System.CommandLine's own handler would turn bad input into exit 1.
        command.SetAction((parse, ct) => ExitCodes.RunAsync(async () =>
        {
            var policy = parse.GetValue(keepFirst) ? DuplicateIdPolicy.KeepFirst : DuplicateIdPolicy.Reject;
            var column = parse.GetValue(idColumn)!;
            var stopwatch = Stopwatch.StartNew();
            var leftFile = PsiIdFile.Read(parse.GetValue(left)!, column, policy);
            var rightFile = PsiIdFile.Read(parse.GetValue(right)!, column, policy);
            var (leftResult, rightResult) = await RunInProcessAsync(leftFile.Ids, rightFile.Ids, new PsiOptions(), ct);
            try
            {
                string dir = parse.GetValue(outDir)!;
                PsiIdFile.WriteAligned([
                    (leftFile, leftResult, Path.Combine(dir, "left.csv")),
                    (rightFile, rightResult, Path.Combine(dir, "right.csv")),
                ]);
            }
            catch (PsiFailedException e)
            {
                throw new JobFailedException(e.Message, e);
            }
            Print(parse.GetValue(json), leftResult.Count, rightResult.Count, leftResult.Count, stopwatch.Elapsed.TotalSeconds);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Runs the guest on <paramref name="guestIds"/> and one host on <paramref name="hostIds"/>, in memory.</summary>
    internal static async Task<(PsiResult Guest, PsiResult Host)> RunInProcessAsync(
        IReadOnlyList<string> guestIds, IReadOnlyList<string> hostIds, PsiOptions options, CancellationToken ct)
    {
        var federation = new InMemoryFederation([Guest, Host]);
        string job = $"psi-{Guid.NewGuid():N}";
        var guest = new PsiGuest(federation.Channel(Guest, job), [Host], options);
        var host = new PsiHost(federation.Channel(Host, job), Guest);
        try
        {
            var guestRun = Task.Run(() => guest.RunAsync(guestIds, ct), ct);
            var hostRun = Task.Run(() => host.RunAsync(hostIds, ct), ct);
            return (await guestRun, await hostRun);
        }
        catch (PsiFailedException e)
        {
            throw new JobFailedException(e.Message, e);
        }
    }

    private static void Print(bool json, int leftRows, int rightRows, int intersection, double seconds)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["left_rows"] = leftRows,
                ["right_rows"] = rightRows,
                ["intersection"] = intersection,
                ["seconds"] = Math.Round(seconds, 3),
            }));
            return;
        }
        Console.WriteLine($"intersection: {intersection} ids; wrote {leftRows} left rows and {rightRows} right rows in {seconds:0.00} s");
    }
}
