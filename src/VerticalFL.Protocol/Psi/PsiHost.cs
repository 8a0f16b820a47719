using Google.Protobuf;
using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.Psi;
using VerticalFL.Protocol.Channels;

namespace VerticalFL.Protocol.Psi;

/// <summary>
/// The answering side of ECDH-PSI (docs/protocol/psi.md): double-blinds the guest's points, streams
/// its own blinded ids, and receives the final intersection as positions in its own stream.
/// Learns the guest's set size and the final intersection, nothing else.
/// </summary>
public sealed class PsiHost
{
    private readonly IPartyChannel _channel;
    private readonly string _guest;
    private readonly IProgress<PsiProgress>? _progress;
    private readonly ScalarMultEngine? _engine;
    private readonly PsiGuestSetLimit? _limit;

    /// <param name="engine">Which implementation multiplies points; null for the fastest (see <see cref="PsiOptions.Engine"/>).</param>
    /// <param name="limit">The largest guest set this host answers; null for no limit.</param>
    public PsiHost(IPartyChannel channel, string guest, IProgress<PsiProgress>? progress = null, ScalarMultEngine? engine = null,
        PsiGuestSetLimit? limit = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentException.ThrowIfNullOrEmpty(guest);
        _channel = channel;
        _guest = guest;
        _progress = progress;
        _engine = engine;
        _limit = limit;
    }

    /// <summary>Answers the guest's session; returns the intersection (possibly empty).</summary>
    /// <param name="ids">This party's ids, a set (no duplicates).</param>
    public async Task<PsiResult> RunAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
    {
        PsiBatches.RequireSet(ids);
        var setup = await _channel.ReceiveAsync<PsiSetup>(_guest, cancellationToken).ConfigureAwait(false);
        Validate(setup);
        if (_limit?.Refusal(setup.SetSize, ids.Count) is { } refusal)
        {
            await _channel.SendAsync(_guest, new PsiSetupReply { Refused = refusal }, cancellationToken).ConfigureAwait(false);
            throw new PsiRefusedException($"refused the guest's PSI session: {refusal}");
        }
        await _channel.SendAsync(_guest, new PsiSetupReply { SetSize = ids.Count }, cancellationToken).ConfigureAwait(false);

        using var key = PsiKey.Generate(_engine);
        await DoubleBlindGuestAsync(key, setup, cancellationToken).ConfigureAwait(false);
        var order = PsiBatches.Shuffled(ids.Count);
        await SendOwnAsync(key, setup, ids, order, cancellationToken).ConfigureAwait(false);
        return PsiResult.FromRows(ids, await ReceiveResultAsync(order, cancellationToken).ConfigureAwait(false));
    }

    private void Validate(PsiSetup setup)
    {
        if (setup.Version != PsiGuest.Version)
            throw PsiFailedException.Peer(_guest, $"speaks PSI version {setup.Version}, this host speaks {PsiGuest.Version}.");
        if (setup.Salt.Length != PsiGuest.SaltSize)
            throw PsiFailedException.Peer(_guest, $"sent a {setup.Salt.Length}-byte salt, expected {PsiGuest.SaltSize}.");
        if (setup.SetSize is < 0 or > int.MaxValue)
            throw PsiFailedException.Peer(_guest, $"set size {setup.SetSize} is out of range.");
        if (setup.BatchSize is < 1 or > PsiOptions.MaxBatchSize || setup.Window is < 1 or > PsiOptions.MaxWindow)
            throw PsiFailedException.Peer(_guest, $"batch size {setup.BatchSize} / window {setup.Window} out of range.");
    }

    /// <summary>Phase 1: each guest batch comes back multiplied by our key, in the same order.</summary>
    private async Task DoubleBlindGuestAsync(PsiKey key, PsiSetup setup, CancellationToken ct)
    {
        var batches = new PsiBatches(setup.SetSize, setup.BatchSize);
        for (int b = 0; b < batches.Count; b++)
        {
            var message = await _channel.ReceiveAsync<PsiBlindedBatch>(_guest, ct).ConfigureAwait(false);
            int length = batches.Length(b);
            PsiWire.PointsOf(_guest, message.Index, message.Points, b, length);
            var doubled = new byte[length * PsiKey.PointSize];
            PsiWire.MultiplyPeerPoints(_guest, key, message.Points.Memory, doubled);
            var reply = new PsiDoubleBlindedBatch { Index = b, Points = UnsafeByteOperations.UnsafeWrap(doubled) };
            await _channel.SendAsync(_guest, reply, ct).ConfigureAwait(false);
            Report(PsiStage.PeerIds, batches.Start(b) + length, setup.SetSize);
        }
    }

    /// <summary>Phase 2: our ids, shuffled and blinded, paced by the guest's acknowledgements.</summary>
    private async Task SendOwnAsync(PsiKey key, PsiSetup setup, IReadOnlyList<string> ids, int[] order, CancellationToken ct)
    {
        using var sender = new BlindedSender(_channel, _guest, key, setup.Salt.ToByteArray(), ids, order, setup.BatchSize, setup.Window);
        await Concurrently.RunAsync(sender.SendAllAsync, async token =>
        {
            var batches = sender.Batches;
            for (int b = 0; b < batches.Count; b++)
            {
                var ack = await _channel.ReceiveAsync<PsiBatchAck>(_guest, token).ConfigureAwait(false);
                if (ack.Index != b)
                    throw PsiFailedException.Peer(_guest, $"acknowledged batch {ack.Index} where batch {b} was due.");
                sender.Acknowledge();
                Report(PsiStage.OwnIds, batches.Start(b) + batches.Length(b), ids.Count);
            }
        }, ct).ConfigureAwait(false);
    }

    /// <summary>The final intersection as positions in our stream, mapped back to our rows.</summary>
    private async Task<int[]> ReceiveResultAsync(int[] order, CancellationToken ct)
    {
        var rows = new List<int>();
        var taken = new bool[order.Length];
        for (int c = 0; ; c++)
        {
            var chunk = await _channel.ReceiveAsync<PsiIntersectionChunk>(_guest, ct).ConfigureAwait(false);
            if (chunk.Index != c)
                throw PsiFailedException.Peer(_guest, $"sent result chunk {chunk.Index} where chunk {c} was due.");
            foreach (uint position in chunk.Positions)
            {
                if (position >= (uint)order.Length || taken[order[position]])
                    throw PsiFailedException.Peer(_guest, $"named position {position}, which is out of range or repeated.");
                taken[order[position]] = true;
                rows.Add(order[position]);
            }
            if (chunk.Last)
                return [.. rows];
        }
    }

    private void Report(PsiStage stage, long done, long total) => _progress?.Report(new PsiProgress(_guest, stage, done, total));
}
