using System.CommandLine;
using VerticalFL.Protocol.Training;

namespace VerticalFL.Cli.Commands;

/// <summary>
/// `--encryption paillier|ckks` of `vfl run`, `vfl demo` and `vfl bench lr`: the job's homomorphic scheme
/// (training.encryption). Any other value is refused at parse time (exit 2) naming the option and the allowed values.
/// </summary>
internal static class EncryptionOption
{
    public const string Name = "--encryption";

    /// <summary>The values the option takes, as a job spec spells them.</summary>
    public static readonly IReadOnlyList<string> Allowed = ["paillier", "ckks"];

    public static Option<string> Create()
    {
        var option = new Option<string>(Name)
        {
            Description = "Homomorphic scheme: paillier or ckks (packed RNS-CKKS, docs/protocol/hetero-lr-ckks.md)",
            DefaultValueFactory = _ => "paillier",
        };
        option.Validators.Add(result =>
        {
            if (Problem(result.GetValueOrDefault<string>()) is { } problem)
                result.AddError(problem);
        });
        return option;
    }

    /// <summary>Why <paramref name="value"/> is not an allowed scheme, or null.</summary>
    public static string? Problem(string? value) =>
        value is not null && Allowed.Contains(value)
            ? null
            : $"{Name}: '{value}' is not a scheme; allowed values: {string.Join(", ", Allowed)}.";

    /// <summary>The scheme a checked value names.</summary>
    public static EncryptionScheme Scheme(string value) => value switch
    {
        "paillier" => EncryptionScheme.Paillier,
        "ckks" => EncryptionScheme.Ckks,
        _ => throw new ArgumentException(Problem(value)),
    };
}
