using System.CommandLine;
using System.Text.Json;
using VerticalFL.Cli.Local;

namespace VerticalFL.Cli.Commands;

/// <summary>
/// <c>vfl psi</c>: intersects two CSV files by id and writes each one's aligned rows. Each file's owner
/// runs as its own process (guest for the left file, host for the right) over mTLS gRPC, and each process
/// reads only its own file.
/// </summary>
internal static class PsiCommand
{
    public static Command Create()
    {
        var left = new Option<string>("--left") { Description = "CSV of the guest (initiating) side", Required = true };
        var right = new Option<string>("--right") { Description = "CSV of the host side", Required = true };
        var idColumn = new Option<string>("--id-column") { Description = "Name of the id column in both files", DefaultValueFactory = _ => "id" };
        var keepFirst = new Option<bool>("--keep-first") { Description = "Keep the first row of a repeated id instead of refusing the file" };
        var outDir = new Option<string>("--out") { Description = "Directory for left.csv and right.csv", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON" };
        var command = new Command("psi", "Private set intersection of two CSV files (ECDH over ristretto255, two processes, mTLS)")
        {
            left, right, idColumn, keepFirst, outDir, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var result = await FederatedPsi.RunAsync(Path.GetFullPath(parse.GetValue(left)!), Path.GetFullPath(parse.GetValue(right)!),
                parse.GetValue(idColumn)!, parse.GetValue(keepFirst), parse.GetValue(outDir)!, ct, quiet: parse.GetValue(json));
            Print(parse.GetValue(json), result);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Print(bool json, FederatedPsi.Result result)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["left_rows"] = result.Intersection,
                ["right_rows"] = result.Intersection,
                ["intersection"] = result.Intersection,
                ["seconds"] = Math.Round(result.Seconds, 3),
            }));
            return;
        }
        Console.WriteLine($"intersection: {result.Intersection} ids; wrote {result.LeftPath} and {result.RightPath} ({result.Seconds:0.0} s)");
    }
}
