using System.Text.RegularExpressions;
using VerticalFL.Ml.Data;

namespace VerticalFL.Party.Serving;

/// <summary>Names of online deployments (<c>vfl serve deploy --name credit-risk</c>): they end up in file names and URLs.</summary>
public static partial class DeploymentNames
{
    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,62}$")]
    private static partial Regex Pattern();

    /// <exception cref="BadInputException">The name is not 1–63 lower-case letters, digits, '.', '_' or '-' starting with a letter or digit.</exception>
    public static string Check(string name, string argument = "name") =>
        Pattern().IsMatch(name)
            ? name
            : throw new BadInputException($"{argument}: '{name}' is not a deployment name (1-63 of a-z 0-9 . _ -, starting with a letter or digit).");
}
