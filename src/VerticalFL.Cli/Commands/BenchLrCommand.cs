using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using VerticalFL.Ml.Data;
using VerticalFL.Ml.Metrics;
using VerticalFL.Ml.Optimization;
using VerticalFL.Ml.Preprocessing;
using VerticalFL.Ml.Training;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Prediction;
using VerticalFL.Protocol.Training;

namespace VerticalFL.Cli.Commands;

/// <summary>
/// <c>vfl bench lr</c>: hetero LR with guest, host and arbiter in this process (InMemoryFederation,
/// real Paillier keys), with FATE's settings for the dataset; prints the federated train AUC next to
/// the centralised plaintext reference trained the same way, seconds per epoch and bytes sent.
/// </summary>
internal static class BenchLrCommand
{
    public static Command Create()
    {
        var dataset = new Option<string>("--dataset") { Description = "breast | default_credit | synthetic", Required = true };
        var dataDir = new Option<string>("--data-dir") { Description = "Directory with the *_hetero_{guest,host}.csv files", DefaultValueFactory = _ => "../shared/datasets" };
        var keyBits = new Option<int>("--key-bits") { Description = "Paillier modulus size: 2048 or 3072", DefaultValueFactory = _ => 2048 };
        var rows = new Option<int>("--rows") { Description = "Synthetic rows (default 100,000)", DefaultValueFactory = _ => 100_000 };
        var epochs = new Option<int?>("--epochs") { Description = "Override the dataset's epoch count (synthetic default 1)" };
        var featureBits = new Option<int?>("--feature-bits") { Description = "Fractional bits of the 16-bit quantised features (default 10)" };
        var mode = new Option<string>("--gradient-mode") { Description = "masked | arbiter_steps", DefaultValueFactory = _ => "masked" };
        var dpEpsilon = new Option<double?>("--dp-epsilon") { Description = "Label DP: ε over the epochs (off when absent); sets early stop weight_diff" };
        var dpDelta = new Option<double>("--dp-delta") { Description = "Label DP: δ", DefaultValueFactory = _ => 1e-5 };
        var dpClip = new Option<double>("--dp-clip") { Description = "Label DP: bound on the guest's residual share ¼u − ½y", DefaultValueFactory = _ => 1.0 };
        var earlyStop = new Option<string?>("--early-stop") { Description = "diff | abs | weight_diff (default: the dataset's, or weight_diff with --dp-epsilon)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text" };
        var encryption = EncryptionOption.Create();
        var shuffle = new Option<string?>("--shuffle")
        {
            Description = "rows (new batches every epoch) or batches (fixed batches, new order); default: batches under ckks, rows under paillier",
        };
        shuffle.AcceptOnlyFromAmong("rows", "batches");
        var command = new Command("lr", "Train hetero LR in-process on a benchmark dataset and compare with the plaintext reference")
        {
            dataset, dataDir, keyBits, rows, epochs, featureBits, mode, dpEpsilon, dpDelta, dpClip, earlyStop, json, encryption, shuffle,
        };
        command.SetAction(async (parse, ct) =>
        {
            var (guest, host) = Load(parse.GetValue(dataset)!, parse.GetValue(dataDir)!, parse.GetValue(rows));
            var parameters = Settings(parse.GetValue(dataset)!, parse.GetValue(epochs)) with
            {
                KeyBits = parse.GetValue(keyBits),
                Encryption = EncryptionOption.Scheme(parse.GetValue(encryption)!),
                Shuffle = parse.GetValue(shuffle) switch { "rows" => BatchShuffle.Rows, "batches" => BatchShuffle.Batches, _ => null },
                FeatureBits = parse.GetValue(featureBits) ?? new HeteroLrParameters().FeatureBits,
                GradientMode = parse.GetValue(mode) switch
                {
                    "masked" => GradientMode.Masked,
                    "arbiter_steps" => GradientMode.ArbiterSteps,
                    var other => throw new ArgumentException($"--gradient-mode must be masked or arbiter_steps; got '{other}'."),
                },
            };
            if (parse.GetValue(dpEpsilon) is { } epsilon)
                parameters = parameters with
                {
                    Dp = new LabelDpSettings { Epsilon = epsilon, Delta = parse.GetValue(dpDelta), Clip = parse.GetValue(dpClip) },
                    EarlyStop = EarlyStopKind.WeightDiff,
                };
            if (parse.GetValue(earlyStop) is { } stop)
                parameters = parameters with
                {
                    EarlyStop = stop switch
                    {
                        "diff" => EarlyStopKind.Diff,
                        "abs" => EarlyStopKind.Abs,
                        "weight_diff" => EarlyStopKind.WeightDiff,
                        var other => throw new ArgumentException($"--early-stop must be diff, abs or weight_diff; got '{other}'."),
                    },
                };
            try
            {
                parameters.Validate();
            }
            catch (ArgumentException e) when (e.ParamName is { } name)
            {
                throw new ArgumentException($"--{(name.StartsWith("dp.", StringComparison.Ordinal) ? "dp-" + name[3..] : name.Replace('_', '-'))}: " +
                    e.Message.Replace($" (Parameter '{name}')", "").Replace($"{name}: ", ""), e);
            }
            var figures = await RunAsync(parse.GetValue(dataset)!, guest, host, parameters, parse.GetValue(json) ? null : Console.Out, ct);
            Console.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true }) : Describe(figures));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>FATE's quality-benchmark settings (datasets README); the synthetic job is FATE's performance shape.</summary>
    private static HeteroLrParameters Settings(string dataset, int? epochs) => dataset switch
    {
        "breast" => new HeteroLrParameters
        {
            Epochs = epochs ?? 20, Optimizer = OptimizerKind.Rmsprop, LearningRate = 0.15, Penalty = PenaltyKind.L2, Alpha = 0.01,
            BatchSize = 240, Init = InitKind.RandomUniform, Seed = 42, EarlyStop = EarlyStopKind.Diff, Tol = 1e-4,
            Decay = DecayKind.InverseSqrt, DecayRate = 1, // FATE's default decay (lr / √(1 + t)); its breast job sets none
        },
        "default_credit" => new HeteroLrParameters
        {
            Epochs = epochs ?? 16, Optimizer = OptimizerKind.Rmsprop, LearningRate = 0.12, Penalty = PenaltyKind.L2, Alpha = 0.1,
            BatchSize = 10_000, Init = InitKind.Zeros, Decay = DecayKind.Linear, Seed = 42, EarlyStop = EarlyStopKind.Diff, Tol = 1e-4,
        },
        "synthetic" => new HeteroLrParameters
        {
            Epochs = epochs ?? 1, Optimizer = OptimizerKind.Rmsprop, LearningRate = 0.01, Penalty = PenaltyKind.L2, Alpha = 0.01,
            BatchSize = 10_000, Seed = 42, EarlyStop = EarlyStopKind.Diff, Tol = 1e-4,
        },
        _ => throw new ArgumentException($"--dataset must be breast, default_credit or synthetic; got '{dataset}'."),
    };

    private static (Dataset Guest, Dataset Host) Load(string dataset, string dataDir, int rows)
    {
        if (dataset == "synthetic")
        {
            if (rows < 1000)
                throw new ArgumentException($"--rows must be ≥ 1000; got {rows}.");
            var (guest, hosts) = SyntheticData.Generate(rows, 30, [300], seed: 7);
            return (guest, hosts[0]);
        }
        if (dataset is not ("breast" or "default_credit"))
            throw new ArgumentException($"--dataset must be breast, default_credit or synthetic; got '{dataset}'.");
        var guestData = CsvDatasetReader.Read(Path.Combine(dataDir, $"{dataset}_hetero_guest.csv"), new CsvReadOptions { LabelColumn = "y" }).Dataset;
        var hostData = CsvDatasetReader.Read(Path.Combine(dataDir, $"{dataset}_hetero_host.csv")).Dataset;
        // Stand-in for PSI: both files hold the same ids; align the host's rows to the guest's order.
        return (guestData, hostData.SelectRows(guestData.Ids));
    }

    private static async Task<Dictionary<string, object>> RunAsync(string name, Dataset guest, Dataset host, HeteroLrParameters parameters,
        TextWriter? progress, CancellationToken ct)
    {
        var roles = new FederationRoles("guest", ["host"], "arbiter");
        var federation = new InMemoryFederation(["guest", "host", "arbiter"], TimeSpan.FromMinutes(30));
        var observer = new EpochLog(progress);
        progress?.WriteLine($"{name}: {guest.Rows:N0} rows, guest {guest.Columns} + host {host.Columns} features, {Scheme(parameters)}, {parameters.GradientMode}, early stop {parameters.EarlyStop}");
        var labelDp = LabelDp.For(parameters);
        if (labelDp is not null)
            progress?.WriteLine($"label DP: ε {labelDp.Settings.Epsilon} at δ {labelDp.Settings.Delta} over {parameters.Epochs} epochs, clip {labelDp.Settings.Clip}: " +
                $"noise multiplier {labelDp.NoiseMultiplier:G4}, σ {labelDp.Sigma:G4} per residual");
        var clock = Stopwatch.StartNew();
        observer.Start();
        var arbiterTask = new ArbiterTrainer(federation.Channel("arbiter", "bench"), roles, parameters).TrainAsync(ct);
        var guestTask = new GuestTrainer(federation.Channel("guest", "bench"), roles, parameters, guest, observer: observer).TrainAsync(ct);
        // breast (569 rows) is far below the batch floor; FATE's batch of 240 is kept so the figures stay comparable.
        var policy = new HostTrainingPolicy { AllowSmallBatches = name == "breast" };
        var hostTask = new HostTrainer(federation.Channel("host", "bench"), roles, parameters, host, policy: policy).TrainAsync(ct);
        await Task.WhenAll(arbiterTask, guestTask, hostTask);
        double trainSeconds = clock.Elapsed.TotalSeconds;
        long trainBytes = federation.BytesSent;

        var predictions = await PredictAsync(federation, roles, guestTask.Result, hostTask.Result, guest, host, ct);
        double federatedAuc = BinaryMetrics.Auc(predictions, guest.Labels!);
        var reference = Reference(guest, host, parameters);
        return new Dictionary<string, object>
        {
            ["dataset"] = name, ["rows"] = guest.Rows, ["guest_features"] = guest.Columns, ["host_features"] = host.Columns,
            ["encryption"] = parameters.Encryption == EncryptionScheme.Ckks ? "ckks" : "paillier", ["key_bits"] = parameters.KeyBits, ["feature_bits"] = parameters.FeatureBits, ["gradient_mode"] = parameters.GradientMode.ToString(), ["cores"] = Environment.ProcessorCount,
            ["epochs_run"] = observer.Seconds.Count,
            ["federated_train_auc"] = Math.Round(federatedAuc, 5), ["reference_train_auc"] = Math.Round(reference.Auc, 5),
            ["auc_difference"] = Math.Round(Math.Abs(federatedAuc - reference.Auc), 5),
            ["federated_final_loss"] = Math.Round(observer.LastLoss ?? double.NaN, 6), ["reference_final_loss"] = Math.Round(reference.Loss, 6),
            ["seconds_per_epoch"] = Math.Round(observer.Seconds.Average(), 2),
            ["epoch_seconds"] = observer.Seconds.Select(s => Math.Round(s, 2)).ToArray(),
            ["cpu_seconds_per_epoch"] = Math.Round(observer.CpuSeconds.Average(), 2),
            ["load_average_at_end"] = LoadAverage(),
            ["train_seconds_including_keygen"] = Math.Round(trainSeconds, 1),
            // Key generation, the handshake and, under CKKS, encoding every party's columns once for the job.
            ["setup_seconds"] = Math.Round(trainSeconds - observer.Seconds.Sum(), 1),
            ["shuffle"] = parameters.EffectiveShuffle.ToString().ToLowerInvariant(),
            ["epoch_losses"] = observer.Losses.Select(l => Math.Round(l, 7)).ToArray(),
            ["megabytes_sent"] = Math.Round(trainBytes / 1e6, 1),
            ["early_stop"] = parameters.EarlyStop.ToString(),
            ["label_dp"] = labelDp is null ? "off" : Describe(labelDp.Report(observer.Seconds.Count)),
        };
    }

    private static async Task<double[]> PredictAsync(InMemoryFederation federation, FederationRoles roles,
        Protocol.Models.GuestModelPart guestModel, Protocol.Models.HostModelPart hostModel, Dataset guest, Dataset host, CancellationToken ct)
    {
        var hostTask = new HostPredictor(federation.Channel("host", "bench-predict"), roles.Guest, hostModel).ServeAsync(host, ct);
        var rows = await new GuestPredictor(federation.Channel("guest", "bench-predict"), roles.Hosts, guestModel).PredictAsync(guest, ct: ct);
        await hostTask;
        return rows.Select(r => r.Probability).ToArray();
    }

    private static (double Auc, double Loss) Reference(Dataset guest, Dataset host, HeteroLrParameters parameters)
    {
        var scaled = new[] { guest, host }.Select(d => d.WithValues(StandardScaler.Fit(d.Values, d.Columns).Transform(d.Values))).ToArray();
        var joined = Dataset.JoinColumns(scaled);
        var result = ReferenceTrainer.Train(joined.Values, guest.Labels!, [guest.Columns, host.Columns], parameters);
        return (BinaryMetrics.Auc(result.PredictProbabilities(joined.Values), guest.Labels!), result.EpochLosses[^1]);
    }

    private static string Scheme(HeteroLrParameters p) =>
        p.Encryption == EncryptionScheme.Ckks ? "CKKS N = 8192 {60,60,60}" : $"{p.KeyBits}-bit Paillier";

    /// <summary>The 1-minute load average (Linux), so figures from a shared machine can be read in context.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static string Describe(Dictionary<string, object> f) =>
        $"""
        dataset                 {f["dataset"]} ({f["rows"]:N0} rows, guest {f["guest_features"]} + host {f["host_features"]} features)
        scheme / mode / cores   {f["encryption"]} ({f["key_bits"]}-bit Paillier keys when paillier), {f["gradient_mode"]}, feature bits {f["feature_bits"]}, {f["cores"]} cores
        epochs run              {f["epochs_run"]}
        train AUC federated     {f["federated_train_auc"]}
        train AUC reference     {f["reference_train_auc"]}   (difference {f["auc_difference"]})
        final loss fed / ref    {f["federated_final_loss"]} / {f["reference_final_loss"]}
        seconds per epoch       {f["seconds_per_epoch"]}   (each: {string.Join(", ", (double[])f["epoch_seconds"])})
        CPU seconds per epoch   {f["cpu_seconds_per_epoch"]}   (all roles; machine load average {f["load_average_at_end"]})
        train seconds (+keygen) {f["train_seconds_including_keygen"]}   (setup {f["setup_seconds"]} s; batches: {f["shuffle"]})
        MB sent (training)      {f["megabytes_sent"]}
        early stop              {f["early_stop"]}
        label DP                {f["label_dp"]}
        """;

    private static string Describe(LabelDpReport r) =>
        $"ε spent {r.EpsilonSpent:0.###} of {r.EpsilonTarget} at δ {r.Delta} over {r.Epochs} epochs, clip {r.Clip}, σ {r.Sigma:G4} (noise multiplier {r.NoiseMultiplier:G4})";

    /// <summary>Collects the guest's per-epoch figures and prints progress.</summary>
    private sealed class EpochLog(TextWriter? progress) : ITrainingObserver
    {
        private TimeSpan _cpuAtLastEpoch = Process.GetCurrentProcess().TotalProcessorTime;

        public List<double> Seconds { get; } = [];
        /// <summary>CPU seconds of the whole process (all three roles) per epoch: the figure a busy machine does not distort.</summary>
        public List<double> CpuSeconds { get; } = [];
        public double? LastLoss { get; private set; }
        public List<double> Losses { get; } = [];

        public void Start() => _cpuAtLastEpoch = Process.GetCurrentProcess().TotalProcessorTime;

        public void EpochCompleted(EpochReport report)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            CpuSeconds.Add((cpu - _cpuAtLastEpoch).TotalSeconds);
            _cpuAtLastEpoch = cpu;
            Seconds.Add(report.Seconds);
            LastLoss = report.Loss;
            if (report.Loss is { } loss)
                Losses.Add(loss);
            progress?.WriteLine($"  epoch {report.Epoch + 1}: loss {report.Loss:F6}, {report.Seconds:F2} s ({CpuSeconds[^1]:F1} CPU s), {report.BytesSent / 1e6:F1} MB from guest");
        }
    }
}
