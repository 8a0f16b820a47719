using Google.Protobuf;
using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.Paillier;
using VerticalFL.Protocol.Training;

namespace VerticalFL.Protocol.Tests.Training;

/// <summary>Issue 10 finding 7: what carries the guest's labels is encrypted in constant time whatever the job's mode.</summary>
public class LabelEncryptionModeTests
{
    [Theory]
    [InlineData(EncryptionMode.FixedBase)]
    [InlineData(EncryptionMode.ConstantTime)]
    public void From_AnyJobMode_LabelEncryptorIsConstantTimeAndDecryptsCorrectly(EncryptionMode jobMode)
    {
        var parameters = new HeteroLrParameters { EncryptionMode = jobMode }.ForTestKey();
        var message = new PaillierPublicKeyMessage { Key = ByteString.CopyFrom(LrFederation.Key.PublicKey.Export()) };

        var session = CryptoSession.From(message, parameters, "arbiter");

        Assert.Equal(jobMode, session.Encryptor.Mode);
        Assert.Equal(EncryptionMode.ConstantTime, session.LabelEncryptor.Mode);
        using var ciphertext = session.LabelEncryptor.Encrypt(-2);
        Assert.Equal(-2, new PaillierDecryptor(LrFederation.Key).Decrypt(ciphertext));
    }
}
