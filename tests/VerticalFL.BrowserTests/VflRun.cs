using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace VerticalFL.BrowserTests;

/// <summary>
/// A real <c>vfl run --board</c> on synthetic data: three party processes on loopback with mTLS, the guest's board
/// printed at start and kept up after the job until this object is disposed (which ends the whole process tree).
/// </summary>
internal sealed partial class VflRun : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TaskCompletionSource<Uri> _board = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private VflRun(Process process) => _process = process;

    public string Output => string.Join('\n', _lines);

    /// <summary>Generates data and starts <c>vfl run</c> with <paramref name="epochs"/> epochs (CKKS: seconds per epoch on 2 cores).</summary>
    public static async Task<VflRun> StartAsync(string directory, int epochs)
    {
        var datagen = await RunToEndAsync(["datagen", "--out", Path.Combine(directory, "data"), "--rows", "1500"]);
        if (datagen.Code != 0)
            throw new InvalidOperationException($"vfl datagen failed ({datagen.Code}): {datagen.Output}");
        var process = new Process
        {
            StartInfo = Command(["run", "--guest-data", Path.Combine(directory, "data", "guest.csv"), "--host-data", Path.Combine(directory, "data", "host.csv"),
                "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--batch-size", "512", "--encryption", "ckks",
                "--allow-small-batches", "--board", "--work-dir", Path.Combine(directory, "run")]),
            EnableRaisingEvents = true,
        };
        var run = new VflRun(process);
        process.OutputDataReceived += (_, e) => run.Read(e.Data);
        process.ErrorDataReceived += (_, e) => run.Read(e.Data);
        process.Exited += (_, _) => run._board.TrySetException(new InvalidOperationException($"vfl run exited early:\n{run.Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return run;
    }

    /// <summary>The guest's board address, as <c>vfl run</c> prints it once the parties are up.</summary>
    public Task<Uri> BoardAsync(TimeSpan timeout) => _board.Task.WaitAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _process.Dispose();
    }

    private void Read(string? line)
    {
        if (line is null) return;
        _lines.Enqueue(line);
        if (BoardLine().Match(line) is { Success: true } match)
            _board.TrySetResult(new Uri(match.Groups[1].Value));
    }

    private static ProcessStartInfo Command(IEnumerable<string> arguments)
    {
        // The vfl.dll beside this test assembly (the project references the CLI), run by the dotnet that runs the tests.
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vfl.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return start;
    }

    private static async Task<(int Code, string Output)> RunToEndAsync(IEnumerable<string> arguments)
    {
        using var process = Process.Start(Command(arguments))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await output + await error);
    }

    [GeneratedRegex(@"board of the guest: (http://\S+)")]
    private static partial Regex BoardLine();
}
