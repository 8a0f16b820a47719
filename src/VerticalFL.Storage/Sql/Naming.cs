namespace VerticalFL.Storage.Sql;

/// <summary>Maps between snake_case columns, PascalCase parameters and lowercase enum codes.</summary>
internal static class Naming
{
    public static string Pascal(string snake) =>
        string.Concat(snake.Split('_').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    /// <summary>The text an enum value is stored as, e.g. <c>JobState.Psi</c> → <c>psi</c>.</summary>
    public static string Code<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    public static T Parse<T>(string code) where T : struct, Enum =>
        Enum.TryParse<T>(code, ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new InvalidDataException($"Unknown {typeof(T).Name} '{code}' in the store.");
}
