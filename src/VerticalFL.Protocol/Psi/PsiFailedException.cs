namespace VerticalFL.Protocol.Psi;

/// <summary>The PSI job failed: the peer broke the protocol, or the intersection is empty.</summary>
public sealed class PsiFailedException(string message, Exception? inner = null) : Exception(message, inner)
{
    internal static PsiFailedException Peer(string peer, string problem) => new($"PSI peer '{peer}' broke the protocol: {problem}");
}
