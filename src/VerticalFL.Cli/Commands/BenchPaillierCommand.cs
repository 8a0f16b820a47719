using System.CommandLine;
using System.Diagnostics;
using System.Numerics;
using System.Text.Json;
using VerticalFL.Crypto.Encoding;
using VerticalFL.Crypto.Paillier;

namespace VerticalFL.Cli.Commands;

/// <summary>
/// <c>vfl bench paillier</c>: operations per second on one core and on all cores, next to the textbook
/// baselines measured in the same run, and the issue's targets (2048-bit, one core).
/// </summary>
internal static class BenchPaillierCommand
{
    private const int InnerProductTerms = 10_000;
    private const int TransposeRows = 10_000;
    private const int TransposeColumns = 30;

    public static Command Create()
    {
        var keyBits = new Option<int>("--key-bits") { Description = "Modulus size: 2048 or 3072 (1024 test-only)", DefaultValueFactory = _ => 2048 };
        var seconds = new Option<double>("--seconds") { Description = "Time spent measuring each operation per setting, in seconds", DefaultValueFactory = _ => 1.5 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table" };
        var command = new Command("paillier", "Benchmark Paillier encryption, decryption and homomorphic operations") { keyBits, seconds, json };
        command.SetAction((parse, _) =>
        {
            var bits = parse.GetValue(keyBits);
            var budget = parse.GetValue(seconds);
            var error = bits is not (1024 or 2048 or 3072) ? $"--key-bits must be 2048 or 3072 (or 1024, test-only); got {bits}."
                : budget is <= 0 or > 60 ? $"--seconds must be within (0, 60]; got {budget}."
                : null;
            if (error is not null)
            {
                Console.Error.WriteLine($"error: {error}");
                return Task.FromResult(ExitCodes.BadInput);
            }

            var figures = Run(bits, budget, progress: parse.GetValue(json) ? null : Console.Out);
            Console.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true }) : Describe(figures));
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static Dictionary<string, object> Run(int bits, double budget, TextWriter? progress)
    {
        var figures = new Dictionary<string, object> { ["key_bits"] = bits, ["cores"] = Environment.ProcessorCount };
        var stopwatch = Stopwatch.StartNew();
        using var key = bits == 1024 ? PaillierPrivateKey.GenerateTestOnly1024() : PaillierPrivateKey.Generate(bits);
        figures["keygen_s"] = Math.Round(stopwatch.Elapsed.TotalSeconds, 2);
        stopwatch.Restart();
        var encryptor = new PaillierEncryptor(key.PublicKey);
        figures["fixed_base_table_s"] = Math.Round(stopwatch.Elapsed.TotalSeconds, 3);
        var constantTime = new PaillierEncryptor(key.PublicKey, EncryptionMode.ConstantTime);
        var decryptor = new PaillierDecryptor(key);
        var evaluator = new PaillierEvaluator(key.PublicKey);
        var random = new Random(20261127);
        var plain = new BigInteger(random.NextInt64(-1L << 40, 1L << 40));
        using var c1 = encryptor.Encrypt(plain);
        using var c2 = encryptor.Encrypt(-plain);
        var factor = new BigInteger((short)random.Next(short.MinValue, short.MaxValue));

        // Operations compared with each other are measured in interleaved rounds (best round wins), so a burst
        // of load from other processes hits both sides of a ratio alike.
        void Measure(int scale, params (string Name, Func<IDisposable> Operation)[] operations)
        {
            progress?.WriteLine($"measuring {string.Join(", ", operations.Select(o => o.Name))} …");
            var single = BestOf(operations.Select(o => o.Operation).ToArray(), budget, PerSecond);
            var all = BestOf(operations.Select(o => o.Operation).ToArray(), budget, PerSecondAllCores);
            for (var i = 0; i < operations.Length; i++)
            {
                figures[$"{operations[i].Name}_per_s"] = Math.Round(scale * single[i].Wall);
                figures[$"{operations[i].Name}_per_cpu_s"] = Math.Round(scale * single[i].Cpu);
                figures[$"{operations[i].Name}_per_s_all_cores"] = Math.Round(scale * all[i].Wall);
            }
        }

        Measure(1, ("encrypt_naive", () => PaillierReference.NaiveEncrypt(key.PublicKey, plain)), ("encrypt", () => encryptor.Encrypt(plain)), ("encrypt_constant_time", () => constantTime.Encrypt(plain)));
        Measure(1, ("decrypt", () => new Decrypted(decryptor.Decrypt(c1))), ("add", () => evaluator.Add(c1, c2)), ("multiply_plain_16bit", () => evaluator.MultiplyPlain(c1, factor)));

        progress?.WriteLine($"encrypting {InnerProductTerms:N0} values for the inner products …");
        var vector = encryptor.EncryptBatch(Enumerable.Range(0, InnerProductTerms).Select(_ => random.NextInt64(-1L << 40, 1L << 40)).ToArray());
        var weights = Enumerable.Range(0, InnerProductTerms).Select(_ => (short)random.Next(short.MinValue, short.MaxValue + 1)).ToArray();
        Measure(
            InnerProductTerms,
            ("inner_product_naive_terms", () => PaillierReference.NaiveInnerProduct(vector, weights)),
            ("inner_product_terms", () => evaluator.InnerProduct(vector, weights)));

        progress?.WriteLine($"measuring TransposeProduct {TransposeRows:N0} × {TransposeColumns} (all cores) …");
        var matrix = new QuantizedMatrix(
            Enumerable.Range(0, TransposeRows * TransposeColumns).Select(_ => (short)random.Next(short.MinValue, short.MaxValue + 1)).ToArray(),
            TransposeRows,
            TransposeColumns);
        var rows = vector.Take(TransposeRows).ToList();
        figures["transpose_product_terms_per_s_all_cores"] = Math.Round(TransposeRows * TransposeColumns * Enumerable.Range(0, 2).Max(round => Batch(1, count => new Disposables(evaluator.TransposeProduct(rows, matrix)))));

        progress?.WriteLine("measuring batch APIs (all cores) …");
        figures["encrypt_batch_per_s_all_cores"] = Math.Round(Batch(4000, count => new Disposables(encryptor.EncryptBatch(new long[count]))));
        figures["decrypt_batch_per_s_all_cores"] = Math.Round(Batch(vector.Length, count => new Decrypted(decryptor.DecryptBatch(vector))));
        DisposeAll(vector);

        AddRatios(figures);
        return figures;
    }

    /// <summary>Speed-ups and target checks, on wall-clock rates and on rates per CPU-second of the measuring thread.</summary>
    private static void AddRatios(Dictionary<string, object> f)
    {
        double Get(string name) => Convert.ToDouble(f[name]);
        foreach (var unit in new[] { "per_s", "per_cpu_s" })
        {
            var suffix = unit == "per_s" ? "" : "_cpu";
            f["encrypt_speedup" + suffix] = Math.Round(Get($"encrypt_{unit}") / Get($"encrypt_naive_{unit}"), 1);
            f["inner_product_speedup" + suffix] = Math.Round(Get($"inner_product_terms_{unit}") / Get($"inner_product_naive_terms_{unit}"), 1);
            f["target_encrypt_25x_naive" + suffix] = Get("encrypt_speedup" + suffix) >= 25;
            f["target_decrypt_300_per_s" + suffix] = Get($"decrypt_{unit}") >= 300;
            f["target_inner_product_10x_naive" + suffix] = Get("inner_product_speedup" + suffix) >= 10;
            f["target_inner_product_60000_terms_per_s" + suffix] = Get($"inner_product_terms_{unit}") >= 60_000;
        }
    }

    /// <summary>Best rate of each operation over three interleaved rounds sharing <paramref name="budget"/> seconds each.</summary>
    private static Rate[] BestOf(Func<IDisposable>[] operations, double budget, Func<Func<IDisposable>, double, Rate> measure)
    {
        const int Rounds = 3;
        var best = new Rate[operations.Length];
        foreach (var operation in operations)
        {
            operation().Dispose(); // warm-up (JIT, tables)
        }

        for (var round = 0; round < Rounds; round++)
        {
            for (var i = 0; i < operations.Length; i++)
            {
                var rate = measure(operations[i], budget / Rounds);
                best[i] = new Rate(Math.Max(best[i].Wall, rate.Wall), Math.Max(best[i].Cpu, rate.Cpu));
            }
        }

        return best;
    }

    /// <summary>
    /// Operations per second on the calling thread, running for about <paramref name="budget"/> seconds: per
    /// wall-clock second, and per CPU-second of the process (what an idle core would do when others compete for it).
    /// </summary>
    private static Rate PerSecond(Func<IDisposable> operation, double budget)
    {
        var count = 0L;
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var stopwatch = Stopwatch.StartNew();
        do
        {
            operation().Dispose();
            count++;
        }
        while (stopwatch.Elapsed.TotalSeconds < budget);

        var wall = stopwatch.Elapsed.TotalSeconds;
        var cpu = (Environment.CpuUsage.TotalTime - cpuBefore).TotalSeconds;
        return new Rate(count / wall, count / Math.Max(cpu, 1e-6));
    }

    /// <summary>Operations per wall-clock second with one independent loop per core.</summary>
    private static Rate PerSecondAllCores(Func<IDisposable> operation, double budget)
    {
        var count = 0L;
        var stopwatch = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => new Thread(() =>
        {
            var mine = 0L;
            do
            {
                operation().Dispose();
                mine++;
            }
            while (stopwatch.Elapsed.TotalSeconds < budget);

            Interlocked.Add(ref count, mine);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var rate = count / stopwatch.Elapsed.TotalSeconds;
        return new Rate(rate, rate);
    }

    private static double Batch(int count, Func<int, IDisposable> run)
    {
        var stopwatch = Stopwatch.StartNew();
        run(count).Dispose();
        return count / stopwatch.Elapsed.TotalSeconds;
    }

    private static string Describe(Dictionary<string, object> f)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine($"Paillier, {f["key_bits"]}-bit key, {f["cores"]} cores (keygen {f["keygen_s"]} s, fixed-base table {f["fixed_base_table_s"]} s)");
        text.AppendLine($"{"operation",-34} {"1 core",14} {"per CPU-s",14} {"all cores",14}");
        foreach (var (label, name) in new[]
        {
            ("encrypt, naive r^n (/s)", "encrypt_naive_per_s"),
            ("encrypt, DJN fixed-base (/s)", "encrypt_per_s"),
            ("encrypt, DJN constant-time (/s)", "encrypt_constant_time_per_s"),
            ("decrypt, CRT (/s)", "decrypt_per_s"),
            ("add (/s)", "add_per_s"),
            ("multiply by 16-bit plain (/s)", "multiply_plain_16bit_per_s"),
            ("inner product, naive (terms/s)", "inner_product_naive_terms_per_s"),
            ("inner product, Pippenger (terms/s)", "inner_product_terms_per_s"),
        })
        {
            text.AppendLine($"{label,-34} {f[name],14:N0} {f[name.Replace("_per_s", "_per_cpu_s")],14:N0} {f[name + "_all_cores"],14:N0}");
        }

        text.AppendLine($"{$"TransposeProduct {TransposeRows:N0}×{TransposeColumns} (terms/s)",-34} {"",14} {"",14} {f["transpose_product_terms_per_s_all_cores"],14:N0}");
        text.AppendLine($"{"EncryptBatch / DecryptBatch (/s)",-34} {"",14} {"",14} {$"{f["encrypt_batch_per_s_all_cores"]:N0} / {f["decrypt_batch_per_s_all_cores"]:N0}",14}");
        text.AppendLine();
        text.AppendLine("targets (one core)             wall clock              per CPU-second");
        text.AppendLine($"encrypt ≥ 25× naive            {Target(f, "encrypt_speedup", "target_encrypt_25x_naive", "×")}");
        text.AppendLine($"decrypt ≥ 300/s                {Target(f, "decrypt_per_s", "target_decrypt_300_per_s", "/s")}");
        text.AppendLine($"inner product ≥ 10× naive      {Target(f, "inner_product_speedup", "target_inner_product_10x_naive", "×")}");
        text.Append($"inner product ≥ 60,000 t/s     {Target(f, "inner_product_terms_per_s", "target_inner_product_60000_terms_per_s", "")}");
        return text.ToString();
    }

    private static string Target(Dictionary<string, object> f, string figure, string flag, string unit)
    {
        var cpuFigure = figure.EndsWith("_per_s", StringComparison.Ordinal) ? figure.Replace("_per_s", "_per_cpu_s") : figure + "_cpu";
        string Show(object value) => Convert.ToDouble(value) >= 100 ? $"{value:N0}" : $"{value:N1}";
        return $"{$"{Show(f[figure])}{unit} {Met(f[flag])}",-23} {Show(f[cpuFigure])}{unit} {Met(f[flag + "_cpu"])}";
    }

    private static string Met(object flag) => (bool)flag ? "met" : "NOT met";

    private static void DisposeAll(IEnumerable<IDisposable> items)
    {
        foreach (var item in items)
        {
            item.Dispose();
        }
    }

    private readonly record struct Rate(double Wall, double Cpu);

    /// <summary>Lets non-disposable results flow through the same timing helpers.</summary>
    private sealed class Decrypted(object value) : IDisposable
    {
        public object Value { get; } = value;

        public void Dispose()
        {
        }
    }

    private sealed class Disposables(IEnumerable<IDisposable> items) : IDisposable
    {
        public void Dispose() => DisposeAll(items);
    }
}
