using System.Security.Cryptography;
using Google.Protobuf;
using VerticalFL.Crypto.Psi;

namespace VerticalFL.Protocol.Psi;

/// <summary>Checks on what a peer sent, shared by both roles; failures blame the peer by name.</summary>
internal static class PsiWire
{
    /// <summary>The batch's points, after checking it is the batch due and holds the expected count.</summary>
    public static ReadOnlySpan<byte> PointsOf(string peer, int index, ByteString points, int expectedIndex, int expectedCount)
    {
        if (index != expectedIndex)
            throw PsiFailedException.Peer(peer, $"sent batch {index} where batch {expectedIndex} was due.");
        if (points.Length != expectedCount * PsiKey.PointSize)
            throw PsiFailedException.Peer(peer, $"batch {index} holds {points.Length} bytes, expected {expectedCount} points.");
        return points.Span;
    }

    /// <summary>Multiplies the peer's points by our key; an invalid point is the peer's fault.</summary>
    public static void MultiplyPeerPoints(string peer, PsiKey key, ReadOnlyMemory<byte> points, Memory<byte> output)
    {
        try
        {
            key.Multiply(points, output);
        }
        catch (CryptographicException e)
        {
            throw new PsiFailedException($"PSI peer '{peer}' broke the protocol: {e.Message}", e);
        }
    }
}
