namespace VerticalFL.Crypto.Ckks;

/// <summary>
/// Σ ctₖ·ptₖ with 128-bit accumulators: products are added unreduced and each coefficient is reduced once, in
/// <see cref="ToCiphertext"/> (or when the exactness limit of 255 products forces an intermediate fold).
/// </summary>
public sealed class CiphertextAccumulator
{
    public CiphertextAccumulator(CkksContext context, ParmsId level) => throw new NotImplementedException();

    /// <summary>Number of products added.</summary>
    public int Count { get; private set; }

    public void MultiplyPlainAdd(Ciphertext encrypted, Plaintext plain) => throw new NotImplementedException();

    public Ciphertext ToCiphertext() => throw new NotImplementedException();
}
