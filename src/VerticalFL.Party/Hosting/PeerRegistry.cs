using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using VerticalFL.Party.Config;
using VerticalFL.Storage;
using VerticalFL.Transport.Security;

namespace VerticalFL.Party.Hosting;

/// <summary>
/// Keeps the participants table true: when a configured peer calls with its (already validated) client
/// certificate, records its role, address, certificate fingerprint and when it was last seen. At most one
/// write per peer every <see cref="Interval"/>, off the call's path.
/// </summary>
internal sealed class PeerRegistry(PartyConfig config, IParticipantStore participants, ILogger<PeerRegistry> logger)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, DateTime> _lastWritten = new();

    public Task RecordCallerAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Connection.ClientCertificate is { } certificate
            && PartyIdentity.FromCertificate(certificate) is { } partyId
            && config.Peers.FirstOrDefault(p => p.Id == partyId) is { } peer
            && Due(partyId))
        {
            var participant = new Participant(partyId, PartyNode.RoleOf(peer.Role),
                Convert.ToHexStringLower(SHA256.HashData(certificate.RawData)), peer.Address, DateTime.UtcNow);
            _ = WriteAsync(participant);
        }
        return next(context);
    }

    private bool Due(string partyId)
    {
        var now = DateTime.UtcNow;
        var last = _lastWritten.GetOrAdd(partyId, DateTime.MinValue);
        return now - last >= Interval && _lastWritten.TryUpdate(partyId, now, last);
    }

    private async Task WriteAsync(Participant participant)
    {
        try
        {
            await participants.UpsertAsync(participant);
        }
        catch (Exception e)
        {
            logger.LogWarning("Could not record participant {PartyId}: {Error}", participant.PartyId, e.Message);
        }
    }
}
