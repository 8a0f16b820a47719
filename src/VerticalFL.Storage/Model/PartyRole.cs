namespace VerticalFL.Storage;

/// <summary>The role a party plays in a federation.</summary>
public enum PartyRole
{
    /// <summary>Holds the label and some features; initiates jobs.</summary>
    Guest,

    /// <summary>Holds other features about the same people.</summary>
    Host,

    /// <summary>Holds the only decryption key; never sees data.</summary>
    Arbiter,
}
