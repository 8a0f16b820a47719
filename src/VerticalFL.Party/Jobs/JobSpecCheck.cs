using System.Globalization;
using VerticalFL.Ml.Data;
using VerticalFL.Party.Config;

namespace VerticalFL.Party.Jobs;

/// <summary>
/// Reads an operator's YAML job spec and checks its <c>training:</c> section in the operator's terms: every error
/// names the file, line and column, the key as written, and what is allowed (with a "did you mean" for a near miss),
/// never a .NET type or a name the operator did not write.
/// </summary>
public static class JobSpecCheck
{
    public static JobSpec ParseYaml(string yaml, string source)
    {
        var spec = JobSpec.ParseYaml(yaml, source);
        var positions = YamlPositions.Of(yaml);
        if (spec.Kind == JobKinds.Horizontal)
        {
            CheckHorizontal(spec, positions, source);
            return spec;
        }
        foreach (var (name, value) in spec.Training)
            CheckParameter(name, value, positions, source);
        if (spec.Kind == JobKinds.Train)
            CheckRanges(spec, positions, source);
        return spec;
    }

    private static void CheckParameter(string name, string value, YamlPositions positions, string source)
    {
        string path = $"training.{name}";
        if (!TrainingSchema.Parameters.TryGetValue(name, out var type))
            throw Error(source, positions.Key(path), path,
                $"unknown parameter;{Suggestions.DidYouMean(name, TrainingSchema.Parameters.Keys)} Allowed: {string.Join(", ", TrainingSchema.Parameters.Keys.Order())}");
        if (ValueProblem(value, type) is { } problem)
            throw Error(source, positions.Value(path), path, problem);
    }

    /// <summary>What is wrong with <paramref name="value"/> for a parameter of <paramref name="type"/>, or null.</summary>
    private static string? ValueProblem(string value, Type type)
    {
        var invariant = CultureInfo.InvariantCulture;
        if (type == typeof(int))
            return int.TryParse(value, NumberStyles.Integer, invariant, out _) ? null
                : long.TryParse(value, NumberStyles.Integer, invariant, out _) ? $"{value} is out of range for a whole number"
                : $"'{value}' is not a whole number";
        if (type == typeof(long))
            return long.TryParse(value, NumberStyles.Integer, invariant, out _) ? null : $"'{value}' is not a whole number";
        if (type == typeof(double))
            return double.TryParse(value, NumberStyles.Float, invariant, out _) ? null : $"'{value}' is not a number";
        if (type == typeof(bool))
            return bool.TryParse(value, out _) ? null : $"'{value}' is not allowed; Allowed: true, false";
        if (type.IsEnum)
        {
            var allowed = TrainingSchema.EnumValues(type);
            return allowed.Contains(value, StringComparer.OrdinalIgnoreCase) ? null
                : $"'{value}' is not allowed;{Suggestions.DidYouMean(value, allowed)} Allowed: {string.Join(", ", allowed)}";
        }
        return null;
    }

    /// <summary>The parameters' own rules (ranges, combinations), reported against the key the operator wrote.</summary>
    private static void CheckRanges(JobSpec spec, YamlPositions positions, string source)
    {
        try
        {
            JobParameters.Training(spec);
        }
        catch (BadInputException e) when (e.InnerException is ArgumentException { ParamName: { } name } inner)
        {
            string written = spec.Training.ContainsKey(name) ? name
                : TrainingSchema.Aliases.TryGetValue(name, out var alias) && spec.Training.ContainsKey(alias) ? alias
                : name;
            string path = $"training.{written}";
            string problem = inner.Message.Replace($" (Parameter '{name}')", "");
            if (problem.StartsWith(name + ": ", StringComparison.Ordinal)) problem = problem[(name.Length + 2)..];
            // A parameter the operator did not write (dp.epsilon missing, early_stop left at its default) is reported at
            // its group (the dp: key) or else at the training section.
            int dot = path.LastIndexOf('.');
            throw Error(source, positions.Value(path) ?? positions.Key(path[..dot]) ?? positions.Key("training"), path, problem.TrimEnd('.'));
        }
    }

    /// <summary>A horizontal job's <c>training:</c> keys, values and ranges (<see cref="HorizontalTraining"/>).</summary>
    private static void CheckHorizontal(JobSpec spec, YamlPositions positions, string source)
    {
        foreach (var (name, value) in spec.Training)
        {
            string path = $"training.{name}";
            if (!HorizontalTraining.Keys.ContainsKey(name))
                throw Error(source, positions.Key(path), path,
                    $"unknown parameter;{Suggestions.DidYouMean(name, HorizontalTraining.Keys.Keys)} Allowed: {string.Join(", ", HorizontalTraining.Keys.Keys)}");
            if (HorizontalTraining.ValueProblem(name, value) is { } problem)
                throw Error(source, positions.Value(path), path, problem);
        }
        try
        {
            HorizontalTraining.Parameters(spec);
        }
        catch (BadInputException e) when (e.InnerException is ArgumentException { ParamName: { } key } inner)
        {
            string path = $"training.{key}";
            int dot = path.LastIndexOf('.');
            throw Error(source, positions.Value(path) ?? positions.Key(path[..dot]) ?? positions.Key("training"), path, inner.Message.TrimEnd('.'));
        }
    }

    private static BadInputException Error(string source, YamlPosition? at, string path, string problem) =>
        new($"{source}{(at is { } p ? $":{p}" : "")}: {path}: {problem}.");
}
