namespace VerticalFL.Crypto.Paillier;

/// <summary>
/// A decrypted value lies in the overflow zone (|m| &gt; <see cref="PaillierPublicKey.MaxSafePlaintext"/>):
/// a homomorphic computation wrapped around n, or the ciphertext was not made under this key.
/// The message never contains the decrypted value.
/// </summary>
public sealed class PaillierOverflowException : Exception
{
    public PaillierOverflowException()
        : base("The decrypted value lies outside ±MaxSafePlaintext: the encrypted computation overflowed, or the ciphertext was not made under this key.")
    {
    }

    public PaillierOverflowException(string message) : base(message)
    {
    }

    public PaillierOverflowException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
