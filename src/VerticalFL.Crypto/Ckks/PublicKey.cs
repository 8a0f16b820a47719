namespace VerticalFL.Crypto.Ckks;

/// <summary>SEAL's public key: an NTT-form encryption of zero (c0 = −(a·s + e), c1 = a) at the key level.</summary>
public sealed class PublicKey
{
    internal PublicKey(Ciphertext data)
    {
        if (!data.IsNttForm) throw new ArgumentException("A public key is an NTT-form ciphertext.", nameof(data));
        Data = data;
    }

    /// <summary>The key as SEAL stores it: a size-2 ciphertext.</summary>
    internal Ciphertext Data { get; }

    public ParmsId ParmsId => Data.ParmsId;

    public override string ToString() => $"CKKS public key (N = {Data.PolyModulusDegree}, {Data.CoeffModulusCount} primes)";
}
