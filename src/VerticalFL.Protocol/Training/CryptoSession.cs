using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.Paillier;

namespace VerticalFL.Protocol.Training;

/// <summary>A data party's view of the job's key: it can encrypt and compute on ciphertexts, never decrypt.</summary>
internal sealed record CryptoSession(PaillierPublicKey Key, PaillierEncryptor Encryptor, PaillierEvaluator Evaluator)
{
    public static CryptoSession From(PaillierPublicKeyMessage message, EncryptionMode mode)
    {
        var key = PaillierPublicKey.Import(message.Key.Span);
        return new CryptoSession(key, new PaillierEncryptor(key, mode), new PaillierEvaluator(key));
    }
}
