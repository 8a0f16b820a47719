using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.Paillier;

namespace VerticalFL.Protocol.Training;

/// <summary>A data party's view of the job's key: it can encrypt and compute on ciphertexts, never decrypt.</summary>
internal sealed record CryptoSession(PaillierPublicKey Key, PaillierEncryptor Encryptor, PaillierEvaluator Evaluator)
{
    /// <summary>
    /// For what carries the guest's labels (its residual share u − 2y, its loss term): always the constant-time
    /// mode, whatever the job's encryption_mode, so a co-located process watching the cache during the fixed-base
    /// table look-ups cannot recover the randomness and with it the labels.
    /// </summary>
    public PaillierEncryptor LabelEncryptor { get; } = new(Key, EncryptionMode.ConstantTime);

    /// <summary>
    /// The session for the key <paramref name="arbiter"/> sent. A key weaker than the job's key_bits is refused:
    /// whoever could factor it would read the host's encrypted scores and the guest's residuals.
    /// </summary>
    public static CryptoSession From(PaillierPublicKeyMessage message, HeteroLrParameters parameters, string arbiter)
    {
        var key = PaillierPublicKey.Import(message.Key.Span);
        if (key.ModulusBits < parameters.AcceptedKeyBits)
            throw new InvalidOperationException(
                $"Arbiter '{arbiter}' sent a {key.ModulusBits}-bit Paillier key; the job's key_bits is {parameters.AcceptedKeyBits}.");
        return new CryptoSession(key, new PaillierEncryptor(key, parameters.EncryptionMode), new PaillierEvaluator(key));
    }
}
