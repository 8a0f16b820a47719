namespace VerticalFL.Crypto.Ckks;

/// <summary>Makes a ternary secret key from the OS CSPRNG (or wraps a given one) and public keys for it.</summary>
public sealed class KeyGenerator
{
    public KeyGenerator(CkksContext context) => throw new NotImplementedException();

    /// <summary>Uses an existing secret key (e.g. one loaded from a file).</summary>
    public KeyGenerator(CkksContext context, SecretKey secretKey) => throw new NotImplementedException();

    public SecretKey SecretKey { get; } = null!;

    public PublicKey CreatePublicKey() => throw new NotImplementedException();
}
