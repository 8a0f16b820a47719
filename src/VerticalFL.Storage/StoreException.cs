namespace VerticalFL.Storage;

/// <summary>The store could not be opened or migrated. The message never holds a password.</summary>
public sealed class StoreException : Exception
{
    internal StoreException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
