namespace VerticalFL.Crypto.Ckks;

/// <summary>The homomorphic operations hetero LR needs, on NTT-form ciphertexts.</summary>
public sealed class Evaluator
{
    private readonly CkksContext _context;

    public Evaluator(CkksContext context) => _context = context;

    public Ciphertext Add(Ciphertext a, Ciphertext b) => throw new NotImplementedException();

    public Ciphertext AddPlain(Ciphertext a, Plaintext b) => throw new NotImplementedException();

    /// <summary>(c0·m, c1·m); the scale multiplies.</summary>
    public Ciphertext MultiplyPlain(Ciphertext a, Plaintext b) => throw new NotImplementedException();

    /// <summary>Drops the last prime (SEAL's <c>mod_switch_to_next</c> for CKKS: no rescale).</summary>
    public Ciphertext ModSwitchToNext(Ciphertext a) => throw new NotImplementedException();

    public Plaintext ModSwitchToNext(Plaintext a) => throw new NotImplementedException();
}
