using System.Net;

namespace VerticalFL.Board;

/// <summary>How a board is served.</summary>
public sealed class BoardOptions
{
    /// <summary>Where the plain-HTTP listener binds; port 0 picks a free port.</summary>
    public required IPEndPoint Endpoint { get; init; }

    /// <summary>
    /// When set, every request must carry <c>Authorization: Bearer &lt;token&gt;</c>. Required for a listener that is not
    /// on loopback (see <see cref="Check"/>).
    /// </summary>
    public string? Token { get; init; }

    /// <summary>The party whose store this is, when known (a party service knows; <c>vfl board --store</c> may not).</summary>
    public string? PartyId { get; init; }

    /// <summary>Where the options came from, for error messages (e.g. <c>listen.board</c> or <c>--listen</c>).</summary>
    public string Setting { get; init; } = "listen.board";

    /// <summary>Refuses a listener reachable from other machines without a token, and a blank token.</summary>
    /// <exception cref="ArgumentException">The message names <see cref="Setting"/> and what to do.</exception>
    public void Check()
    {
        if (Token is not null && string.IsNullOrWhiteSpace(Token))
            throw new ArgumentException("board.token_file: the token is empty.");
        if (Token is null && !IPAddress.IsLoopback(Endpoint.Address))
            throw new ArgumentException(
                $"{Setting}: {Endpoint} is not a loopback address; a board reachable from other machines needs a token "
                + "(board.token_file in the party config, --token-file on vfl board), or bind it to 127.0.0.1.");
    }

    /// <summary>Reads a token file: its first line, trimmed; a missing or empty file is refused naming it.</summary>
    /// <exception cref="ArgumentException">The file cannot be read or holds no token.</exception>
    public static string ReadToken(string path, string setting = "board.token_file")
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{setting}: cannot read '{path}': {e.Message}");
        }
        string token = text.Split('\n')[0].Trim();
        if (token.Length < 16)
            throw new ArgumentException($"{setting}: '{path}' must hold a token of at least 16 characters on its first line.");
        return token;
    }
}
