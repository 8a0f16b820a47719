namespace VerticalFL.Storage.Sql;

/// <summary>Builds exceptions that cannot carry a password, even if a provider put one in its message.</summary>
internal static class Redaction
{
    public static StoreException Wrap(string context, Exception inner, IReadOnlyList<string> secrets)
    {
        var message = $"{context}: {Scrub(inner.Message, secrets)}";
        // Keep the provider's exception for its stack trace only when nothing in it leaks.
        var safeInner = secrets.Any(s => inner.ToString().Contains(s, StringComparison.Ordinal)) ? null : inner;
        return new StoreException(message, safeInner);
    }

    public static string Scrub(string text, IReadOnlyList<string> secrets) =>
        secrets.Aggregate(text, (current, secret) => current.Replace(secret, "***", StringComparison.Ordinal));
}
