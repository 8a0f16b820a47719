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

    /// <summary>
    /// Parameter name (as written in a spec) → its value type (nullable unwrapped). A parameter that is itself a group
    /// of settings (<c>dp</c>: <see cref="LabelDpSettings"/>) contributes its members as dotted names (<c>dp.epsilon</c>).
    /// </summary>
    public static IReadOnlyDictionary<string, Type> Parameters { get; } = Members(typeof(HeteroLrParameters), "")
        .ToDictionary(m => m.Name, m => m.Type, StringComparer.Ordinal);

    private static IEnumerable<(string Name, Type Type)> Members(Type type, string prefix)
    {
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.SetMethod is not { IsPublic: true } || p.GetCustomAttribute<JsonIgnoreAttribute>() is { Condition: JsonIgnoreCondition.Always })
                continue;
            string name = prefix + (p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? Naming.ConvertName(p.Name));
            var valueType = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            if (valueType.IsClass && valueType != typeof(string))
            {
                foreach (var member in Members(valueType, name + "."))
                    yield return member;
            }
            else
            {
                yield return (name, valueType);
            }
        }
    }

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
