using System.Diagnostics;

namespace VerticalFL.Cli.Local;

/// <summary>
/// One party started as its own OS process (<c>vfl party --config FILE</c>), its output going to a log
/// file. Disposing stops it: politely first (SIGTERM → graceful shutdown), then by force.
/// </summary>
internal sealed class PartyProcess : IDisposable
{
    private readonly Process _process;

    private PartyProcess(string partyId, Process process, string logPath)
    {
        PartyId = partyId;
        _process = process;
        LogPath = logPath;
    }

    public string PartyId { get; }
    public string LogPath { get; }
    public bool HasExited => _process.HasExited;

    public static PartyProcess Start(string partyId, string configPath, string logPath)
    {
        var start = SelfCommand(["party", "--config", configPath]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var log = new LogFile(logPath);
        process.OutputDataReceived += (_, e) => log.Write(e.Data);
        process.ErrorDataReceived += (_, e) => log.Write(e.Data);
        File.WriteAllText(logPath, "");
        if (!process.Start())
            throw new InvalidOperationException($"Could not start the {partyId} process.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new PartyProcess(partyId, process, logPath);
    }

    /// <summary>How to run this same program again: the apphost directly, or <c>dotnet vfl.dll</c>.</summary>
    internal static ProcessStartInfo SelfCommand(IEnumerable<string> arguments)
    {
        string processPath = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot tell which program is running.");
        var start = new ProcessStartInfo(processPath) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(processPath) == "dotnet")
            start.ArgumentList.Add(typeof(PartyProcess).Assembly.Location);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        return start;
    }

    /// <summary>Kills the process immediately (fault tests: a party that dies mid-job).</summary>
    public void Kill()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    /// <summary>Asks the party to shut down gracefully; kills it if it has not gone within the grace period.</summary>
    public void Stop(TimeSpan grace)
    {
        if (_process.HasExited) return;
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
            _ = Kill(_process.Id, 15); // SIGTERM
        if (!_process.WaitForExit(grace))
            Kill();
    }

    /// <summary>Sends SIGHUP, which asks a daemon to reload its config (a party says it does not, and keeps running).</summary>
    public void Hangup()
    {
        if (!_process.HasExited && (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()))
            _ = Kill(_process.Id, 1); // SIGHUP
    }

    public void Dispose()
    {
        Stop(TimeSpan.FromSeconds(10));
        _process.Dispose();
    }

    /// <summary>Both output streams into one file; lines that arrive after the process is gone are still kept.</summary>
    private sealed class LogFile(string path)
    {
        private readonly object _gate = new();

        public void Write(string? line)
        {
            if (line is null) return;
            lock (_gate) File.AppendAllText(path, line + Environment.NewLine);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
