using System.Diagnostics;
using VerticalFL.Cli.Local;

namespace VerticalFL.IntegrationTests;

/// <summary>Runs <c>vfl ARGS</c> as its own process, as an operator would.</summary>
internal static class Vfl
{
    /// <returns>The exit code and both streams, read concurrently so neither pipe can fill and stall the process.</returns>
    public static async Task<(int Code, string Output, string Error)> RunAsync(
        IEnumerable<string> arguments, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = PartyProcess.SelfCommand(arguments.ToArray());
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await output, await error);
    }
}
