using Google.Protobuf;
using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.Psi;
using VerticalFL.Protocol.Channels;

namespace VerticalFL.Protocol.Psi;

/// <summary>
/// Streams one party's ids to a peer: in a secret shuffled order, hashed to the group and multiplied
/// by the party's key, one batch at a time, with at most <c>window</c> batches the peer has not yet
/// acknowledged (so neither side ever holds more than a window of points in flight).
/// </summary>
internal sealed class BlindedSender(IPartyChannel channel, string peer, PsiKey key, byte[] salt,
    IReadOnlyList<string> ids, int[] order, int batchSize, int window) : IDisposable
{
    private readonly SemaphoreSlim _credits = new(window, window);

    public PsiBatches Batches { get; } = new(order.Length, batchSize);

    /// <summary>The peer has answered or acknowledged one more batch.</summary>
    public void Acknowledge() => _credits.Release();

    public async Task SendAllAsync(CancellationToken cancellationToken)
    {
        var batch = new string[batchSize];
        for (int b = 0; b < Batches.Count; b++)
        {
            await _credits.WaitAsync(cancellationToken).ConfigureAwait(false);
            int start = Batches.Start(b), length = Batches.Length(b);
            for (int i = 0; i < length; i++)
                batch[i] = ids[order[start + i]];
            var points = new byte[length * PsiKey.PointSize];
            key.HashToGroupAndMultiply(salt, batch.AsMemory(0, length), points);
            // The array is never touched again, so the message may wrap it without a copy.
            var message = new PsiBlindedBatch { Index = b, Points = UnsafeByteOperations.UnsafeWrap(points) };
            await channel.SendAsync(peer, message, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _credits.Dispose();
}
