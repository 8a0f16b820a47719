using System.Runtime.CompilerServices;

namespace VerticalFL.Storage;

/// <summary>Argument checks shared by the repositories, so both dialects accept exactly the same values.</summary>
internal static class Guard
{
    /// <summary>Ids are primary-key columns of VARCHAR(64) in MySQL.</summary>
    public const int MaxIdLength = 64;

    public static void Id(string value, [CallerArgumentExpression(nameof(value))] string? name = null) =>
        Text(value, MaxIdLength, name);

    /// <summary>Non-blank and at most <paramref name="maxLength"/> characters.</summary>
    public static void Text(string value, int maxLength, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, name);
        if (value.Length > maxLength)
            throw new ArgumentException($"{name} is {value.Length} characters long; at most {maxLength} are allowed.", name);
    }

    public static void NotNegative(long value, [CallerArgumentExpression(nameof(value))] string? name = null) =>
        ArgumentOutOfRangeException.ThrowIfNegative(value, name);
}
