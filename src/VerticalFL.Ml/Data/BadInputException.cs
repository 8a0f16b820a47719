namespace VerticalFL.Ml.Data;

/// <summary>
/// Input the user supplied is wrong (a file, a column, a parameter). The message names where:
/// file and line, or the argument. The CLI maps it to exit code 2.
/// </summary>
public sealed class BadInputException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Builds the message for a problem at a place in a file: "path:line: what".</summary>
    public static BadInputException At(string path, long line, string problem) => new($"{path}:{line}: {problem}");
}
