using System.Text.RegularExpressions;

namespace VerticalFL.Transport.Security;

/// <summary>What a party id may look like, and how it is written into a certificate.</summary>
public static partial class PartyNames
{
    /// <summary>Prefix of the SAN URI that carries a party id: <c>vfl://party/&lt;id&gt;</c>.</summary>
    public const string UriPrefix = "vfl://party/";

    /// <summary>Lower-case letters, digits, '-', '_' and '.', 1–63 characters, starting with a letter or digit.</summary>
    public static bool IsValid(string? partyId) => partyId is not null && Pattern().IsMatch(partyId);

    /// <exception cref="ArgumentException"><paramref name="partyId"/> is not a valid party id.</exception>
    public static string Validate(string? partyId, string paramName) =>
        IsValid(partyId)
            ? partyId!
            : throw new ArgumentException(
                $"'{partyId}' is not a valid party id (1-63 of a-z, 0-9, '-', '_', '.', starting with a letter or digit).", paramName);

    public static Uri ToUri(string partyId) => new(UriPrefix + partyId);

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
