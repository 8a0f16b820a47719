using System.Reflection;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace VerticalFL.Party.Config;

/// <summary>Turns YamlDotNet's errors into the operator's terms: the key as written, the keys allowed there, a "did you mean".</summary>
internal static partial class YamlErrors
{
    /// <summary>The one-line reason for <paramref name="e"/>, reading <typeparamref name="T"/> (without the file and position).</summary>
    public static string Reason<T>(YamlException e)
    {
        string raw = (e.InnerException?.Message ?? e.Message).Split('\n')[0];
        var unknown = UnknownProperty().Match(e.Message);
        if (!unknown.Success) return raw;
        string key = unknown.Groups["key"].Value;
        var type = Reachable(typeof(T)).FirstOrDefault(t => t.FullName == unknown.Groups["type"].Value);
        if (type is null) return $"unknown key '{key}'";
        var allowed = Keys(type);
        return $"unknown key '{key}';{Suggestions.DidYouMean(key, allowed)} Allowed here: {string.Join(", ", allowed)}";
    }

    /// <summary>The keys a YAML mapping read into <paramref name="type"/> accepts.</summary>
    private static List<string> Keys(Type type) => type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.SetMethod is { IsPublic: true } && p.GetCustomAttribute<YamlIgnoreAttribute>() is null)
        .Select(p => p.GetCustomAttribute<YamlMemberAttribute>()?.Alias ?? UnderscoredNamingConvention.Instance.Apply(p.Name))
        .ToList();

    /// <summary><paramref name="root"/> and the classes of its properties, recursively (the mappings of one document).</summary>
    private static IEnumerable<Type> Reachable(Type root)
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>([root]);
        while (pending.TryPop(out var type))
        {
            if (!seen.Add(type)) continue;
            yield return type;
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var candidate = property.PropertyType.IsGenericType ? property.PropertyType.GetGenericArguments().Last() : property.PropertyType;
                if (candidate.IsClass && candidate != typeof(string) && candidate.Assembly == root.Assembly)
                    pending.Push(candidate);
            }
        }
    }

    [GeneratedRegex(@"Property '(?<key>[^']*)' not found on type '(?<type>[^']*)'")]
    private static partial Regex UnknownProperty();
}
