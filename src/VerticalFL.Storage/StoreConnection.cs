using System.Data.Common;
using System.Diagnostics;
using System.Text.RegularExpressions;
using MySqlConnector;

namespace VerticalFL.Storage;

/// <summary>Which database engine a store lives in.</summary>
public enum StoreKind
{
    /// <summary>An embedded SQLite file: the default, nothing to install.</summary>
    Sqlite,

    /// <summary>A MySQL or MariaDB database, for production.</summary>
    MySql,
}

/// <summary>
/// A parsed store connection string: <c>sqlite:PATH</c> or <c>mysql:&lt;MySqlConnector connection string&gt;</c>.
/// Passwords are kept for connecting only: <see cref="ToString"/> and every error message redact them.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public sealed partial class StoreConnection
{
    private const string SqlitePrefix = "sqlite:";
    private const string MySqlPrefix = "mysql:";
    private const string Usage = "expected 'sqlite:PATH' or 'mysql:Server=…;Database=…;User ID=…;Password=…'";

    private StoreConnection(StoreKind kind, string target, string redacted, IReadOnlyList<string> secrets)
    {
        Kind = kind;
        Target = target;
        _redacted = redacted;
        Secrets = secrets;
    }

    private readonly string _redacted;

    public StoreKind Kind { get; }

    /// <summary>The SQLite file's full path, or the provider connection string (may hold a password).</summary>
    internal string Target { get; }

    /// <summary>Values that must never appear in a message (passwords).</summary>
    internal IReadOnlyList<string> Secrets { get; }

    /// <summary>A SQLite store at <paramref name="path"/> (relative paths resolve against the current directory).</summary>
    public static StoreConnection Sqlite(string path) => Parse(SqlitePrefix + path);

    /// <summary>Parses a store connection string.</summary>
    /// <exception cref="FormatException">The string is malformed; the message names the bad part, never a password.</exception>
    public static StoreConnection Parse(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new FormatException($"The store connection string is empty; {Usage}.");
        if (connectionString.StartsWith(SqlitePrefix, StringComparison.OrdinalIgnoreCase))
            return ParseSqlite(connectionString[SqlitePrefix.Length..].Trim());
        if (connectionString.StartsWith(MySqlPrefix, StringComparison.OrdinalIgnoreCase))
            return ParseMySql(connectionString[MySqlPrefix.Length..]);

        // Echo the scheme only when it looks like one: a raw provider string may carry a password.
        var scheme = SchemePattern().Match(connectionString);
        throw new FormatException(scheme.Success
            ? $"Unknown store scheme '{scheme.Groups[1].Value}:'; {Usage}."
            : $"The store connection string has no 'sqlite:' or 'mysql:' prefix; {Usage}.");
    }

    /// <summary>The connection string with every password replaced by <c>***</c>.</summary>
    public override string ToString() => _redacted;

    private static StoreConnection ParseSqlite(string path)
    {
        if (path.Length == 0)
            throw new FormatException("'sqlite:' needs a file path, e.g. 'sqlite:data/vfl.db'.");
        if (path.Equals(":memory:", StringComparison.OrdinalIgnoreCase))
            throw new FormatException("'sqlite::memory:' is not supported: the store is shared between connections; use a file path.");
        string fullPath;
        try
        {
            fullPath = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new FormatException($"'sqlite:' path '{path}' is not a valid file path: {e.Message}", e);
        }
        return new StoreConnection(StoreKind.Sqlite, fullPath, SqlitePrefix + fullPath, []);
    }

    private static StoreConnection ParseMySql(string providerString)
    {
        var pairs = new DbConnectionStringBuilder();
        try
        {
            pairs.ConnectionString = providerString;
        }
        catch (ArgumentException)
        {
            // The provider's message can quote the text around the error, password included.
            throw new FormatException("'mysql:' connection string is not a list of 'key=value' pairs separated by ';'.");
        }

        var builder = new MySqlConnectionStringBuilder();
        var secrets = new List<string>();
        foreach (string key in pairs.Keys)
        {
            var value = pairs[key]?.ToString() ?? "";
            if (IsSecretKey(key) && value.Length > 0)
                secrets.Add(value);
            try
            {
                builder[key] = value;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
            {
                // Name the option, never its value: a misspelt 'Pasword=' would otherwise echo the secret.
                throw new FormatException($"'mysql:' option '{key}' is not supported or has an invalid value.");
            }
        }
        if (string.IsNullOrWhiteSpace(builder.Server))
            throw new FormatException("'mysql:' connection string needs 'Server=…'.");
        if (string.IsNullOrWhiteSpace(builder.Database))
            throw new FormatException("'mysql:' connection string needs 'Database=…' (create it first; see docs/operations.md).");

        return new StoreConnection(StoreKind.MySql, builder.ConnectionString, MySqlPrefix + Redact(pairs), secrets);
    }

    private static string Redact(DbConnectionStringBuilder pairs)
    {
        var redacted = new DbConnectionStringBuilder();
        foreach (string key in pairs.Keys)
            redacted[key] = IsSecretKey(key) ? "***" : pairs[key];
        return redacted.ConnectionString;
    }

    private static bool IsSecretKey(string key) =>
        key.Contains("password", StringComparison.OrdinalIgnoreCase) || key.Equals("pwd", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"^\s*([A-Za-z][A-Za-z0-9+.\-]{0,15}):")]
    private static partial Regex SchemePattern();
}
