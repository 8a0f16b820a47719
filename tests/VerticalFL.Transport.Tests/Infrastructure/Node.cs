using System.Diagnostics;

namespace VerticalFL.Transport.Tests.Infrastructure;

/// <summary>Runs the @grpc/grpc-js programs of tests/interop. Missing node or packages fail the test with what to run.</summary>
internal static class Node
{
    public static string InteropDir { get; } = FindInteropDir();

    /// <summary>Starts <c>node script args…</c> in tests/interop with stdin, stdout and stderr redirected.</summary>
    public static Process Start(string script, params string[] args)
    {
        string node = Executable();
        if (!Directory.Exists(Path.Combine(InteropDir, "node_modules", "@grpc", "grpc-js")))
            throw new InvalidOperationException(
                $"@grpc/grpc-js is not installed in {InteropDir}: run tests/setup/install-node-deps.sh (tests/run.sh does).");
        var info = new ProcessStartInfo(node) { WorkingDirectory = InteropDir, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(script);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        return Process.Start(info) ?? throw new InvalidOperationException($"Could not start {node}.");
    }

    /// <summary>Runs a script to its end; returns its standard output, or throws with its standard error.</summary>
    public static async Task<string> RunAsync(string script, params string[] args)
    {
        using var process = Start(script, args);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(Await.Limit);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} did not finish within {Await.Limit.TotalSeconds} s.");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"node {script} exited with {process.ExitCode}: {await stderr}");
        return await stdout;
    }

    private static string Executable()
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "node"))
            .FirstOrDefault(File.Exists);
        return found ?? throw new InvalidOperationException(
            "node is not installed or not on PATH; the interop tests need it: run tests/setup/install-deps.sh (tests/run.sh does).");
    }

    private static string FindInteropDir()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "interop");
            if (File.Exists(Path.Combine(candidate, "package.json")))
                return candidate;
        }
        throw new InvalidOperationException($"tests/interop/package.json not found above {AppContext.BaseDirectory}.");
    }
}
