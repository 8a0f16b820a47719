using System.Diagnostics;

namespace VerticalFL.Crypto.Tests.Ckks;

/// <summary>
/// Runs tests/seal/interop.mjs (real Microsoft SEAL 4.1 as node-seal 7.0.0) on the Node 22 that tests/seal installs.
/// </summary>
internal static class SealNode
{
    public static string SealDir { get; } = RepoPath("tests", "seal");

    public static string FixturesDir { get; } = RepoPath("tests", "VerticalFL.Crypto.Tests", "Ckks", "Fixtures");

    private static string NodeBinary => Path.Combine(SealDir, "node_modules", "node", "bin", "node");

    /// <summary>Why the interop tests cannot run here, or null when they can.</summary>
    public static string? MissingReason { get; } = FindMissing();

    /// <summary>Runs <c>node interop.mjs command args…</c>; returns its standard output, or throws with its standard error.</summary>
    public static string Run(string command, params string[] args)
    {
        var info = new ProcessStartInfo(NodeBinary) { WorkingDirectory = SealDir, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("interop.mjs");
        info.ArgumentList.Add(command);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {NodeBinary}.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node interop.mjs {command} did not finish within 60 s.");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"node interop.mjs {command} exited with {process.ExitCode}: {stderr.Result}");
        return stdout;
    }

    private static string? FindMissing()
    {
        if (!File.Exists(NodeBinary))
            return $"Node 22 is not installed in {SealDir}: run tests/setup/install-seal-deps.sh (tests/run.sh does).";
        if (!Directory.Exists(Path.Combine(SealDir, "node_modules", "node-seal")))
            return $"node-seal is not installed in {SealDir}: run tests/setup/install-seal-deps.sh (tests/run.sh does).";
        return null;
    }

    private static string RepoPath(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "VerticalFL.sln")))
                return Path.Combine([dir.FullName, .. parts]);
        throw new InvalidOperationException($"VerticalFL.sln not found above {AppContext.BaseDirectory}.");
    }
}

/// <summary>A test against real SEAL: shown as skipped, with the reason, where node-seal is not installed.</summary>
public sealed class SealInteropFactAttribute : FactAttribute
{
    public SealInteropFactAttribute()
    {
        if (SealNode.MissingReason is { } reason) Skip = reason;
    }
}
