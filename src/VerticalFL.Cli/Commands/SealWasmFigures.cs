using System.Diagnostics;
using System.Text.Json;

namespace VerticalFL.Cli.Commands;

/// <summary>
/// The same CKKS figures measured on Microsoft SEAL compiled to WebAssembly (node-seal 7.0.0, tests/seal/bench.mjs),
/// for <c>vfl bench ckks</c> to print beside ours. Only where tests/seal/node_modules is installed (a source checkout
/// after tests/setup/install-seal-deps.sh); elsewhere it says why not.
/// </summary>
internal static class SealWasmFigures
{
    public const string Label = "SEAL-WebAssembly";

    /// <summary>The figures as bench.mjs prints them (JSON object), or null with <paramref name="reason"/> set.</summary>
    public static JsonElement? Measure(int n, IReadOnlyList<int> coeffBits, int scaleBits, out string reason)
    {
        var directory = FindSealDir();
        if (directory is null)
        {
            reason = "tests/seal/node_modules not found (run tests/setup/install-seal-deps.sh in a source checkout)";
            return null;
        }
        var info = new ProcessStartInfo(Path.Combine(directory, "node_modules", "node", "bin", "node"))
        {
            WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var arg in new[] { "bench.mjs", "--n", $"{n}", "--coeff-bits", string.Join(',', coeffBits), "--scale-bits", $"{scaleBits}" })
            info.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(info)!;
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                reason = "bench.mjs did not finish within 2 minutes";
                return null;
            }
            if (process.ExitCode != 0)
            {
                reason = $"bench.mjs failed: {error.Result.Trim()}";
                return null;
            }
            reason = "";
            return JsonDocument.Parse(output).RootElement.Clone();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or JsonException or IOException)
        {
            reason = $"bench.mjs could not run: {e.Message}";
            return null;
        }
    }

    private static string? FindSealDir()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "seal");
                if (File.Exists(Path.Combine(candidate, "bench.mjs")) && Directory.Exists(Path.Combine(candidate, "node_modules", "node-seal"))
                    && File.Exists(Path.Combine(candidate, "node_modules", "node", "bin", "node")))
                    return candidate;
            }
        return null;
    }
}
