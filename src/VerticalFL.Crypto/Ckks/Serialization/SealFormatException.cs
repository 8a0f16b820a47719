namespace VerticalFL.Crypto.Ckks.Serialization;

/// <summary>A SEAL-format object that cannot be read: the message names the source and what is wrong.</summary>
public sealed class SealFormatException(string message) : FormatException(message);
