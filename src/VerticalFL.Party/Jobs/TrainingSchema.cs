using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using VerticalFL.Protocol.Training;

namespace VerticalFL.Party.Jobs;

/// <summary>
/// The names and value types a job spec's <c>training:</c> section accepts, read from
/// <see cref="HeteroLrParameters"/> itself (its JSON names), so a parameter added there is known here at once.
/// </summary>
internal static class TrainingSchema
{
    private static readonly JsonNamingPolicy Naming = JsonNamingPolicy.SnakeCaseLower;

    /// <summary>Parameter name (as written in a spec) → its value type (nullable unwrapped).</summary>
    public static IReadOnlyDictionary<string, Type> Parameters { get; } = typeof(HeteroLrParameters)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.SetMethod is { IsPublic: true } && p.GetCustomAttribute<JsonIgnoreAttribute>() is not { Condition: JsonIgnoreCondition.Always })
        .ToDictionary(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? Naming.ConvertName(p.Name),
            p => Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType, StringComparer.Ordinal);

    /// <summary>Another name the spec may use for the same parameter (FATE's <c>max_iter</c> is our <c>epochs</c>).</summary>
    public static IReadOnlyDictionary<string, string> Aliases { get; } = new Dictionary<string, string>
    {
        ["max_iter"] = "epochs",
        ["epochs"] = "max_iter",
    };

    /// <summary>An enum's values as a spec writes them (snake_case).</summary>
    public static IReadOnlyList<string> EnumValues(Type type) => type.GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? Naming.ConvertName(f.Name))
        .ToList();
}
