using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.Paillier;

namespace VerticalFL.Protocol.Training;

/// <summary>A data party's view of the job's key: it can encrypt and compute on ciphertexts, never decrypt.</summary>
internal sealed record CryptoSession(PaillierPublicKey Key, PaillierEncryptor Encryptor, PaillierEvaluator Evaluator)
{
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
