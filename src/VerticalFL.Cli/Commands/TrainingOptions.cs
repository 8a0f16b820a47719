using System.CommandLine;
using System.Globalization;

namespace VerticalFL.Cli.Commands;

/// <summary>
/// The hetero-LR options `vfl demo` and `vfl run` share; they become the job spec's <c>training</c> map.
/// Defaults: Adam at 0.05 descends smoothly from the first epoch (FATE's rmsprop at 0.15 takes a first step of
/// ~10× the learning rate and needs a decay schedule to settle).
/// </summary>
internal sealed class TrainingOptions
{
    private readonly Option<int> _epochs = new("--epochs") { Description = "Training epochs (FATE: max_iter)", DefaultValueFactory = _ => 10 };
    private readonly Option<int> _batchSize = new("--batch-size") { Description = "Rows per mini-batch; -1 for full batch", DefaultValueFactory = _ => 2048 };
    private readonly Option<double> _learningRate = new("--learning-rate") { Description = "Initial learning rate", DefaultValueFactory = _ => 0.05 };
    private readonly Option<string> _optimizer = new("--optimizer") { Description = "sgd, momentum, nesterov, adagrad, rmsprop or adam", DefaultValueFactory = _ => "adam" };
    private readonly Option<string> _penalty = new("--penalty") { Description = "none, l1 or l2", DefaultValueFactory = _ => "l2" };
    private readonly Option<double> _alpha = new("--alpha") { Description = "Penalty strength", DefaultValueFactory = _ => 0.01 };
    private readonly Option<int> _keyBits = new("--key-bits") { Description = "Paillier modulus bits: 2048 or 3072", DefaultValueFactory = _ => 2048 };
    private readonly Option<string> _encryption = EncryptionOption.Create();
    private readonly Option<long> _seed = new("--seed") { Description = "Seed for the batch order and the hosts' initial weights (the guest draws its own from its CSPRNG)", DefaultValueFactory = _ => 42 };
    private readonly Option<string[]> _params = new("--param")
    {
        Description = "Any other training parameter as NAME=VALUE (e.g. early_stop=weight_diff, decay=linear)",
        AllowMultipleArgumentsPerToken = true,
    };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _epochs, _batchSize, _learningRate, _optimizer, _penalty, _alpha, _keyBits, _encryption, _seed, _params })
            command.Options.Add(option);
    }

    /// <param name="hosts">How many hosts the job has: with several the loss is not computed, so the default
    /// convergence test becomes weight_diff.</param>
    public Dictionary<string, string> Read(ParseResult parse, int hosts)
    {
        var training = new Dictionary<string, string>
        {
            ["epochs"] = parse.GetValue(_epochs).ToString(CultureInfo.InvariantCulture),
            ["batch_size"] = parse.GetValue(_batchSize).ToString(CultureInfo.InvariantCulture),
            ["learning_rate"] = parse.GetValue(_learningRate).ToString(CultureInfo.InvariantCulture),
            ["optimizer"] = parse.GetValue(_optimizer)!,
            ["penalty"] = parse.GetValue(_penalty)!,
            ["alpha"] = parse.GetValue(_alpha).ToString(CultureInfo.InvariantCulture),
            ["key_bits"] = parse.GetValue(_keyBits).ToString(CultureInfo.InvariantCulture),
            ["seed"] = parse.GetValue(_seed).ToString(CultureInfo.InvariantCulture),
            ["encryption"] = parse.GetValue(_encryption)!,
        };
        foreach (var pair in parse.GetValue(_params) ?? [])
        {
            var parts = pair.Split('=', 2);
            if (parts.Length != 2 || parts[0].Length == 0)
                throw new ArgumentException($"--param: '{pair}' is not NAME=VALUE.");
            if (parts[0] == "encryption" && parse.GetResult(_encryption) is { Implicit: false } && parts[1] != training["encryption"])
                throw new ArgumentException($"--param encryption={parts[1]} contradicts {EncryptionOption.Name} {training["encryption"]}; give one.");
            training[parts[0]] = parts[1];
        }
        if (hosts > 1) training.TryAdd("early_stop", "weight_diff");
        return training;
    }
}

/// <summary>
/// The options of a horizontal job (<c>--horizontal</c> on `vfl demo` and `vfl run`); they become its <c>training</c> map.
/// The shared --batch-size, --learning-rate, --optimizer and --seed apply when given; the vertical-only ones are refused.
/// </summary>
internal sealed class HorizontalOptions
{
    public Option<bool> Horizontal { get; } = new("--horizontal") { Description = "A horizontal job: every party holds the same columns for different people; the arbiter aggregates (FedAvg, FedProx, FedNova, FedOpt)" };
    private readonly Option<int> _rounds = new("--rounds") { Description = "Horizontal: aggregation rounds", DefaultValueFactory = _ => 20 };
    private readonly Option<int> _epochsPerRound = new("--epochs-per-round") { Description = "Horizontal: local epochs per round", DefaultValueFactory = _ => 2 };
    private readonly Option<string> _model = new("--model") { Description = "Horizontal: logistic, or mlp (see --hidden)", DefaultValueFactory = _ => "logistic" };
    private readonly Option<string> _hidden = new("--hidden") { Description = "Horizontal, --model mlp: hidden layer sizes, e.g. 32 or 32,16", DefaultValueFactory = _ => "32" };
    private readonly Option<string> _method = new("--method") { Description = "Horizontal: fedavg, fedprox, fednova or fedopt", DefaultValueFactory = _ => "fedavg" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Horizontal, _rounds, _epochsPerRound, _model, _hidden, _method })
            command.Options.Add(option);
    }

    public bool IsSet(ParseResult parse) => parse.GetValue(Horizontal);

    /// <summary>The training map: horizontal defaults (batch 32, SGD at 0.1), the shared options where given, then --param NAME=VALUE.</summary>
    public Dictionary<string, string> Read(ParseResult parse, Command command)
    {
        string[] verticalOnly = ["--epochs", "--penalty", "--alpha", "--key-bits", "--encryption"];
        foreach (var option in command.Options.Where(o => verticalOnly.Contains(o.Name)))
            if (parse.GetResult(option) is { Implicit: false })
                throw new Ml.Data.BadInputException($"{option.Name} does not apply to --horizontal (see vfl {command.Name} --help for the horizontal options).");
        var training = new Dictionary<string, string>
        {
            ["model"] = parse.GetValue(_model)!,
            ["rounds"] = parse.GetValue(_rounds).ToString(CultureInfo.InvariantCulture),
            ["epochs_per_round"] = parse.GetValue(_epochsPerRound).ToString(CultureInfo.InvariantCulture),
            ["batch_size"] = "32",
            ["learning_rate"] = "0.1",
            ["aggregation.method"] = parse.GetValue(_method)!,
        };
        if (training["model"] == "mlp")
            training["model.mlp.hidden"] = $"[{parse.GetValue(_hidden)}]";
        foreach (var (name, key) in new[] { ("--batch-size", "batch_size"), ("--learning-rate", "learning_rate"), ("--optimizer", "optimizer"), ("--seed", "seed") })
            if (command.Options.FirstOrDefault(o => o.Name == name) is { } option && parse.GetResult(option) is { Implicit: false } given)
                training[key] = string.Join("", given.Tokens.Select(t => t.Value));
        if (command.Options.FirstOrDefault(o => o.Name == "--param") is { } param && parse.GetResult(param) is { } pairs)
            foreach (var pair in pairs.Tokens.Select(t => t.Value))
            {
                var parts = pair.Split('=', 2);
                if (parts.Length != 2 || parts[0].Length == 0)
                    throw new ArgumentException($"--param: '{pair}' is not NAME=VALUE.");
                training[parts[0]] = parts[1];
            }
        return training;
    }
}
