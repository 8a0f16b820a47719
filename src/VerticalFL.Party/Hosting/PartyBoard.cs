using System.Net;
using System.Net.Sockets;
using VerticalFL.Board;
using VerticalFL.Ml.Data;
using VerticalFL.Party.Config;
using VerticalFL.Storage;

namespace VerticalFL.Party.Hosting;

/// <summary>Starts a party's board on <c>listen.board</c> (off when empty), with the token of <c>board.token_file</c>.</summary>
internal static class PartyBoard
{
    public static async Task<BoardServer?> StartAsync(PartyConfig config, VflStore store, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(config.Listen.Board))
            return null;
        try
        {
            var options = new BoardOptions
            {
                Endpoint = IPEndPoint.Parse(config.Listen.Board),
                Token = string.IsNullOrEmpty(config.Board.TokenFile) ? null : BoardOptions.ReadToken(config.Board.TokenFile),
                PartyId = config.Party.Id,
            };
            return await BoardServer.StartAsync(store, options, cancellationToken);
        }
        catch (ArgumentException e)
        {
            throw new BadInputException(e.Message);
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            throw new BadInputException($"listen.board: {config.Listen.Board} is already in use ({e.Message}).");
        }
    }
}
