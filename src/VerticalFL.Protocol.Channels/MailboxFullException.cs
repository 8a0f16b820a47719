namespace VerticalFL.Protocol.Channels;

/// <summary>
/// A sender has more bytes waiting in this party's mailbox for one job than the mailbox holds: the receiver
/// is not reading them (a peer running ahead of the protocol, or flooding). The message is not queued.
/// </summary>
public sealed class MailboxFullException(string message) : InvalidOperationException(message);
