using VerticalFL.Protocol.Channels;

namespace VerticalFL.Transport.Client;

/// <summary>
/// One delivered protocol message, for audit rows: who, what type, how big, how long. Never the payload.
/// </summary>
/// <param name="Bytes">Serialized payload size in bytes.</param>
/// <param name="Elapsed">From the first attempt to the acknowledgement, retries included.</param>
/// <param name="Attempts">Calls it took (1 when no retry was needed).</param>
/// <param name="Duplicate">The peer had already applied this message id (an earlier attempt got through).</param>
public readonly record struct SentMessage(
    string JobId, string PayloadType, string Peer, Step Step, int Bytes, DateTimeOffset SentAt, TimeSpan Elapsed, int Attempts, bool Duplicate);

/// <summary>Messages and payload bytes delivered to one peer so far.</summary>
public readonly record struct PeerTraffic(long Messages, long Bytes);
