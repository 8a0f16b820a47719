using System.Reflection;
using System.Text.RegularExpressions;

namespace VerticalFL.Storage.Sql;

/// <summary>One versioned schema script, embedded as Migrations/&lt;dialect&gt;/NNNN_name.sql.</summary>
internal sealed partial record Migration(int Version, string Name, IReadOnlyList<string> Statements)
{
    /// <summary>The dialect's migrations in version order.</summary>
    public static IReadOnlyList<Migration> Load(string folder)
    {
        var assembly = typeof(Migration).Assembly;
        var prefix = $"{assembly.GetName().Name}.Migrations.{folder}.";
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal))
            .Select(name => Parse(name[prefix.Length..], Read(assembly, name)))
            .OrderBy(m => m.Version)
            .ToList();
    }

    private static Migration Parse(string fileName, string script)
    {
        var match = FileNamePattern().Match(fileName);
        if (!match.Success)
            throw new InvalidOperationException($"Migration '{fileName}' is not named NNNN_name.sql.");
        return new Migration(int.Parse(match.Groups[1].Value), match.Groups[2].Value, SplitStatements(script));
    }

    /// <summary>Splits on semicolons that end a line; our scripts keep none inside literals.</summary>
    private static List<string> SplitStatements(string script)
    {
        var withoutComments = string.Join('\n', script.Split('\n').Where(line => !line.TrimStart().StartsWith("--")));
        return StatementEnd().Split(withoutComments)
            .Select(s => s.Trim())
            .Where(s => s.Length > 0)
            .ToList();
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^(\d{4})_([A-Za-z0-9_]+)\.sql$")]
    private static partial Regex FileNamePattern();

    [GeneratedRegex(@";[ \t]*\r?(?:\n|$)")]
    private static partial Regex StatementEnd();
}
