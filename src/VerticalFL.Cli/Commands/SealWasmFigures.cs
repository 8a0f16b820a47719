using System.Diagnostics;
using System.Text;
using System.Text.Json;
using VerticalFL.Crypto.Ckks;

namespace VerticalFL.Cli.Commands;

/// <summary>
/// The same CKKS figures measured on Microsoft SEAL compiled to WebAssembly (node-seal 7.0.0, tests/seal/bench.mjs),
/// for <c>vfl bench ckks</c> to print beside ours. Only where tests/seal/node_modules is installed (a source checkout
/// after tests/setup/install-seal-deps.sh); elsewhere it says why not.
/// </summary>
internal static class SealWasmFigures
{
    public const string Label = "SEAL-WebAssembly";

    private const string Key = "seal_webassembly";

    private static readonly string[] Figures =
        ["encode_per_s", "encrypt_per_s", "add_per_s", "multiply_plain_per_s", "accumulate_ops_per_s", "decrypt_per_s"];

    /// <summary>Measures SEAL-WebAssembly at the same parameters (one thread) and adds it under "seal_webassembly".</summary>
    public static void AddTo(Dictionary<string, object> figures, CkksParameters parameters, IReadOnlyList<int> coeffBits, int scaleBits, double seconds)
    {
        var measured = Measure(parameters.PolyModulusDegree, coeffBits, scaleBits, Math.Min(seconds, 1.0), out var reason);
        figures[Key] = measured is { } json ? json : new Dictionary<string, string> { ["unavailable"] = reason };
    }

    /// <summary>The SEAL-WebAssembly block of the table: its figure and ours ÷ SEAL's for each operation.</summary>
    public static string Describe(IReadOnlyDictionary<string, object> figures)
    {
        if (!figures.TryGetValue(Key, out var value)) return "";
        if (value is not JsonElement seal)
            return $"\n{Label}: not measured ({((Dictionary<string, string>)value)["unavailable"]})";
        var text = new StringBuilder($"\n{Label} (node-seal 7.0.0 = SEAL 4.1, same parameters, one thread, scale 2^{figures["scale_bits"]}):\n");
        text.AppendLine($"{"",-44} {"per second",12} {"ours ÷ SEAL",12}");
        foreach (var name in Figures)
        {
            var theirs = seal.GetProperty(name).GetDouble();
            var ours = figures.TryGetValue(name, out var o) ? (double)o : double.NaN;
            text.AppendLine($"{name,-44} {theirs,12:N1} {ours / theirs,12:N2}");
        }
        text.Append($"{"ciphertext_bytes (SEAL format)",-44} {seal.GetProperty("ciphertext_bytes").GetInt64(),12:N0}");
        return text.ToString();
    }

    /// <summary>The figures as bench.mjs prints them (JSON object), or null with <paramref name="reason"/> set.</summary>
    public static JsonElement? Measure(int n, IReadOnlyList<int> coeffBits, int scaleBits, double seconds, out string reason)
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
        foreach (var arg in new[] { "bench.mjs", "--n", $"{n}", "--coeff-bits", string.Join(',', coeffBits), "--scale-bits", $"{scaleBits}",
                     "--seconds", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) })
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
