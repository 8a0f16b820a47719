using System.Net.Sockets;
using VerticalFL.Ml.Data;
using VerticalFL.Party.Config;
using VerticalFL.Storage;

namespace VerticalFL.Cli.Commands;

/// <summary>
/// Why a party could not start, as one line an operator can act on (exit 2): the port taken, the store
/// unreachable, a key file unreadable. Never a stack trace: these are the environment's faults, not the program's.
/// </summary>
internal static class StartupFailure
{
    public static BadInputException Describe(PartyConfig config, Exception e) => new(Message(config, e), e);

    private static string Message(PartyConfig config, Exception e)
    {
        string party = $"party '{config.Party.Id}' could not start";
        if (Find<SocketException>(e) is { SocketErrorCode: SocketError.AddressAlreadyInUse } || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            return $"{party}: {AddressOf(e, config)} is already in use (another process listens there: stop it, or change listen.grpc / listen.metrics).";
        if (Find<SocketException>(e) is { SocketErrorCode: SocketError.AddressNotAvailable })
            return $"{party}: {AddressOf(e, config)} is not an address of this machine (check listen.grpc / listen.metrics).";
        if (e is StoreException)
            return $"{party}: {OneLine(e.Message).TrimEnd('.')} (check that the database is up and reachable, and the store: setting).";
        return $"{party}: {OneLine(Innermost(e).Message)}";
    }

    /// <summary>Kestrel names the address it failed to bind ("Failed to bind to address http://127.0.0.1:7001: …").</summary>
    private static string AddressOf(Exception e, PartyConfig config)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            const string prefix = "Failed to bind to address ";
            int at = x.Message.IndexOf(prefix, StringComparison.Ordinal);
            if (at >= 0)
                return x.Message[(at + prefix.Length)..].Split(':', 3) is [var scheme, var host, var rest] ? $"{scheme}:{host}:{rest.Split(' ', ':')[0]}" : config.Listen.Grpc;
        }
        return config.Listen.Grpc;
    }

    private static T? Find<T>(Exception e) where T : Exception
    {
        for (var x = e; x is not null; x = x.InnerException)
            if (x is T found) return found;
        return null;
    }

    private static Exception Innermost(Exception e) => e.InnerException is { } inner && e is AggregateException or TypeInitializationException ? Innermost(inner) : e;

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
