namespace VerticalFL.Crypto.Ckks;

/// <summary>Public-key encryption as SEAL does it (zero encrypted one level up, divided and rounded by the last prime).</summary>
public sealed class Encryptor
{
    private readonly CkksContext _context;
    private readonly PublicKey _publicKey;

    public Encryptor(CkksContext context, PublicKey publicKey)
    {
        _context = context;
        _publicKey = publicKey;
    }

    public Ciphertext Encrypt(Plaintext plain) => throw new NotImplementedException();

    /// <summary>A fresh NTT-form encryption of zero at <paramref name="level"/> (default: the first data level).</summary>
    public Ciphertext EncryptZero(ParmsId? level = null) => throw new NotImplementedException();
}
