using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using Google.Protobuf;
using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.Psi;
using VerticalFL.Protocol.Channels;

namespace VerticalFL.Protocol.Psi;

/// <summary>
/// The initiating side of ECDH-PSI (docs/protocol/psi.md). Intersects its ids with every host (one
/// session per host, concurrently), keeps the ids common to all of them, and tells each host which of
/// its own ids those are.
/// Learns each pairwise intersection; each host learns only the common one.
/// </summary>
public sealed class PsiGuest
{
    internal const uint Version = 1;
    internal const int SaltSize = 32;
    internal const int ResultChunkSize = 1 << 16;

    private readonly IPartyChannel _channel;
    private readonly IReadOnlyList<string> _hosts;
    private readonly PsiOptions _options;

    public PsiGuest(IPartyChannel channel, IReadOnlyList<string> hosts, PsiOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (hosts is null || hosts.Count == 0)
            throw new ArgumentException("PSI needs at least one host.", nameof(hosts));
        _options = options ?? new PsiOptions();
        _options.Validate();
        _channel = channel;
        _hosts = hosts;
    }

    /// <summary>Runs the protocol with every host; returns the common intersection (possibly empty).</summary>
    /// <param name="ids">This party's ids, a set (no duplicates).</param>
    public async Task<PsiResult> RunAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
    {
        PsiBatches.RequireSet(ids);
        byte[] salt = RandomNumberGenerator.GetBytes(SaltSize);
        using var key = PsiKey.Generate(_options.Engine);

        var positionsPerHost = await IntersectWithAllAsync(key, salt, ids, cancellationToken).ConfigureAwait(false);

        var result = PsiResult.FromRows(ids, CommonRows(positionsPerHost));
        for (int h = 0; h < _hosts.Count; h++)
            await SendResultAsync(_hosts[h], result, positionsPerHost[h], cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// One session per host, all at once: no host waits (and times out) while another is served.
    /// The first failure cancels the other sessions and is the one thrown.
    /// </summary>
    private async Task<int[][]> IntersectWithAllAsync(PsiKey key, byte[] salt, IReadOnlyList<string> ids, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sessions = _hosts.Select(async host =>
        {
            try
            {
                return await IntersectAsync(host, key, salt, ids, cts.Token).ConfigureAwait(false);
            }
            catch
            {
                cts.Cancel();
                throw;
            }
        }).ToArray();
        try
        {
            return await Task.WhenAll(sessions).ConfigureAwait(false);
        }
        catch when (!ct.IsCancellationRequested)
        {
            var cause = sessions.FirstOrDefault(t => t.IsFaulted && t.Exception!.InnerException is not OperationCanceledException);
            if (cause is not null)
                ExceptionDispatchInfo.Throw(cause.Exception!.InnerException!);
            throw;
        }
    }

    /// <summary>One session; returns, per guest row, its position in the host's stream, or −1.</summary>
    private async Task<int[]> IntersectAsync(string host, PsiKey key, byte[] salt, IReadOnlyList<string> ids, CancellationToken ct)
    {
        await _channel.SendAsync(host, new PsiSetup
        {
            Version = Version,
            Salt = ByteString.CopyFrom(salt),
            SetSize = ids.Count,
            BatchSize = _options.BatchSize,
            Window = _options.Window,
        }, ct).ConfigureAwait(false);
        var reply = await _channel.ReceiveAsync<PsiSetupReply>(host, ct).ConfigureAwait(false);
        if (reply.Refused.Length > 0)
            throw new PsiRefusedException($"{host} refused the job: {reply.Refused}");
        if (reply.SetSize is < 0 or > int.MaxValue)
            throw PsiFailedException.Peer(host, $"set size {reply.SetSize} is out of range.");

        var table = await DoubleBlindOwnAsync(host, key, salt, ids, ct).ConfigureAwait(false);
        return await MatchHostAsync(host, key, table, ids.Count, (int)reply.SetSize, ct).ConfigureAwait(false);
    }

    /// <summary>Phase 1: our ids go out blinded and come back double-blinded, in the order we sent them.</summary>
    private async Task<PointTable> DoubleBlindOwnAsync(string host, PsiKey key, byte[] salt, IReadOnlyList<string> ids, CancellationToken ct)
    {
        var order = PsiBatches.Shuffled(ids.Count);
        var table = new PointTable(ids.Count);
        using var sender = new BlindedSender(_channel, host, key, salt, ids, order, _options.BatchSize, _options.Window);
        await Concurrently.RunAsync(sender.SendAllAsync, async token =>
        {
            var batches = sender.Batches;
            for (int b = 0; b < batches.Count; b++)
            {
                var reply = await _channel.ReceiveAsync<PsiDoubleBlindedBatch>(host, token).ConfigureAwait(false);
                var points = PsiWire.PointsOf(host, reply.Index, reply.Points, b, batches.Length(b));
                int start = batches.Start(b);
                for (int i = 0; i < batches.Length(b); i++)
                {
                    if (!table.TryAdd(points.Slice(i * PsiKey.PointSize), order[start + i]))
                        throw PsiFailedException.Peer(host, $"returned the same point twice (batch {b}).");
                }
                sender.Acknowledge();
                Report(host, PsiStage.OwnIds, start + batches.Length(b), ids.Count);
            }
        }, ct).ConfigureAwait(false);
        return table;
    }

    /// <summary>Phase 2: the host's blinded ids arrive; we blind them again and look them up.</summary>
    private async Task<int[]> MatchHostAsync(string host, PsiKey key, PointTable table, int ownCount, int hostCount, CancellationToken ct)
    {
        var positions = new int[ownCount];
        Array.Fill(positions, -1);
        var batches = new PsiBatches(hostCount, _options.BatchSize);
        var buffer = new byte[_options.BatchSize * PsiKey.PointSize];
        for (int b = 0; b < batches.Count; b++)
        {
            var message = await _channel.ReceiveAsync<PsiBlindedBatch>(host, ct).ConfigureAwait(false);
            int length = batches.Length(b);
            PsiWire.PointsOf(host, message.Index, message.Points, b, length);
            var doubled = buffer.AsMemory(0, length * PsiKey.PointSize);
            PsiWire.MultiplyPeerPoints(host, key, message.Points.Memory, doubled);
            for (int i = 0; i < length; i++)
            {
                if (!table.TryGetRow(doubled.Span.Slice(i * PsiKey.PointSize), out int row))
                    continue;
                if (positions[row] >= 0)
                    throw PsiFailedException.Peer(host, $"sent the same id twice (batch {b}).");
                positions[row] = batches.Start(b) + i;
            }
            await _channel.SendAsync(host, new PsiBatchAck { Index = b }, ct).ConfigureAwait(false);
            Report(host, PsiStage.PeerIds, batches.Start(b) + length, hostCount);
        }
        return positions;
    }

    /// <summary>Guest rows every host matched, with each host's positions for them.</summary>
    private static int[] CommonRows(int[][] positionsPerHost)
    {
        var rows = new List<int>();
        for (int row = 0; row < positionsPerHost[0].Length; row++)
        {
            if (MatchedByAll(positionsPerHost, row))
                rows.Add(row);
        }
        return [.. rows];
    }

    private static bool MatchedByAll(int[][] positionsPerHost, int row)
    {
        foreach (var positions in positionsPerHost)
        {
            if (positions[row] < 0)
                return false;
        }
        return true;
    }

    private async Task SendResultAsync(string host, PsiResult result, int[] positions, CancellationToken ct)
    {
        int chunks = Math.Max(1, (result.Count + ResultChunkSize - 1) / ResultChunkSize);
        for (int c = 0; c < chunks; c++)
        {
            var chunk = new PsiIntersectionChunk { Index = c, Last = c == chunks - 1 };
            int end = Math.Min(result.Count, (c + 1) * ResultChunkSize);
            for (int i = c * ResultChunkSize; i < end; i++)
                chunk.Positions.Add((uint)positions[result.Rows[i]]);
            await _channel.SendAsync(host, chunk, ct).ConfigureAwait(false);
        }
    }

    private void Report(string peer, PsiStage stage, long done, long total) =>
        _options.Progress?.Report(new PsiProgress(peer, stage, done, total));
}
