using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using VerticalFL.Board;
using VerticalFL.Ml.Data;
using VerticalFL.Storage;

namespace VerticalFL.Cli.Commands;

/// <summary>
/// <c>vfl board --store CONN [--listen IP:PORT] [--token-file FILE]</c>: the board of any party's store, served from the
/// store alone (no party running, no certificates). It only reads: opening the store applies pending migrations, as a
/// party would, and nothing else is written.
/// </summary>
internal static class BoardCommand
{
    public static Command Create()
    {
        var store = new Option<string>("--store") { Description = "The store to show: sqlite:PATH or mysql:CONNECTION-STRING", Required = true };
        var listen = new Option<string>("--listen") { Description = "IP:port to serve on (port 0: any free port)", DefaultValueFactory = _ => "127.0.0.1:8080" };
        var tokenFile = new Option<string>("--token-file") { Description = "A file whose first line is the bearer token (required off loopback)" };
        var party = new Option<string>("--party") { Description = "The party id the store belongs to (shown on the pages; optional)" };
        var command = new Command("board", "Serve the read-only board (jobs, curves, audit trail) of a party's store") { store, listen, tokenFile, party };
        command.SetAction(async (parse, ct) =>
        {
            var options = Options(parse.GetValue(listen)!, parse.GetValue(tokenFile), parse.GetValue(party));
            using var opened = await OpenAsync(parse.GetValue(store)!, ct);
            await using var server = await StartAsync(opened, options, ct);
            Console.WriteLine($"board of {opened} on {server.Address} (read-only; Ctrl+C to stop)");
            await StopSignal.WaitAsync(ct);
            Console.WriteLine("board stopped");
            return ExitCodes.Success;
        });
        return command;
    }

    private static BoardOptions Options(string listen, string? tokenFile, string? party)
    {
        if (!IPEndPoint.TryParse(listen, out var endpoint))
            throw new BadInputException($"--listen: '{listen}' is not an IP:port (e.g. 127.0.0.1:8080).");
        try
        {
            var options = new BoardOptions
            {
                Endpoint = endpoint,
                Token = tokenFile is null ? null : BoardOptions.ReadToken(tokenFile, "--token-file"),
                PartyId = party,
                Setting = "--listen",
            };
            options.Check();
            return options;
        }
        catch (ArgumentException e)
        {
            throw new BadInputException(e.Message.Replace("board.token_file in the party config, --token-file on vfl board", "--token-file", StringComparison.Ordinal));
        }
    }

    private static async Task<VflStore> OpenAsync(string connection, CancellationToken ct)
    {
        try
        {
            var parsed = StoreConnection.Parse(connection);
            // Opening a SQLite path creates a store: a mistyped path would show an empty board instead of an error.
            string shown = parsed.ToString();
            if (parsed.Kind == StoreKind.Sqlite && !File.Exists(shown["sqlite:".Length..]))
                throw new BadInputException($"--store: there is no SQLite store at {shown["sqlite:".Length..]}.");
            return await VflStore.OpenAsync(parsed, ct);
        }
        catch (FormatException e)
        {
            throw new BadInputException($"--store: {e.Message}");
        }
        catch (StoreException e)
        {
            throw new BadInputException($"--store: {e.Message}");
        }
    }

    private static async Task<BoardServer> StartAsync(VflStore store, BoardOptions options, CancellationToken ct)
    {
        try
        {
            return await BoardServer.StartAsync(store, options, ct);
        }
        catch (IOException e) when (e.InnerException is SocketException || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            throw new BadInputException($"--listen: {options.Endpoint} is already in use or not an address of this machine ({e.Message}).");
        }
    }
}
