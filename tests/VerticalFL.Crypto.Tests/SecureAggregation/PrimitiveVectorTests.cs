using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Agreement;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using VerticalFL.Crypto.SecureAggregation;

namespace VerticalFL.Crypto.Tests.SecureAggregation;

/// <summary>
/// Known answers from the RFCs (vectors typed from the RFC text; section named on each test) and cross-checks of
/// the libsodium bindings against BouncyCastle, an independent implementation, on random inputs.
/// </summary>
public sealed class PrimitiveVectorTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", ""));

    [Fact] // RFC 7748 §5.2, first test vector (scalar, u-coordinate, output).
    public void X25519_Rfc7748_Section5_2()
    {
        using var key = X25519KeyPair.FromSecret(Hex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"));
        var output = key.Agree(Hex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"));
        Assert.Equal("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552", Convert.ToHexStringLower(output));
    }

    [Fact] // RFC 7748 §6.1: Alice's and Bob's keys and their shared secret.
    public void X25519_Rfc7748_Section6_1_DiffieHellman()
    {
        using var alice = X25519KeyPair.FromSecret(Hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        using var bob = X25519KeyPair.FromSecret(Hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
        Assert.Equal("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", Convert.ToHexStringLower(alice.PublicKey));
        Assert.Equal("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", Convert.ToHexStringLower(bob.PublicKey));
        const string shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
        Assert.Equal(shared, Convert.ToHexStringLower(alice.Agree(bob.PublicKey)));
        Assert.Equal(shared, Convert.ToHexStringLower(bob.Agree(alice.PublicKey)));
    }

    [Fact]
    public void X25519_refuses_a_low_order_peer_key()
    {
        using var key = X25519KeyPair.Generate();
        Assert.Throws<ArgumentException>(() => key.Agree(new byte[32]));   // u = 0: the shared secret would be zero
    }

    [Fact]
    public void X25519_agrees_with_BouncyCastle_on_random_keys()
    {
        for (int trial = 0; trial < 20; trial++)
        {
            using var ours = X25519KeyPair.Generate();
            var theirs = new X25519PrivateKeyParameters(new Org.BouncyCastle.Security.SecureRandom());
            var theirPublic = theirs.GeneratePublicKey().GetEncoded();
            var agreement = new X25519Agreement();
            agreement.Init(theirs);
            var expected = new byte[32];
            agreement.CalculateAgreement(new X25519PublicKeyParameters(ours.PublicKey), expected, 0);
            Assert.Equal(expected, ours.Agree(theirPublic));
        }
    }

    [Fact] // RFC 8439 §2.4.2: ChaCha20 encryption of the "sunscreen" plaintext with counter 1.
    public void ChaCha20_Rfc8439_Section2_4_2()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var nonce = Hex("000000000000004a00000000");
        var plaintext = System.Text.Encoding.ASCII.GetBytes(
            "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.");
        var ciphertext = new byte[plaintext.Length];
        ChaCha20Prg.Xor(key, nonce, 1, plaintext, ciphertext);
        Assert.Equal(Hex(
            "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0bf91b65c5524733ab8f593dabcd62b357" +
            "1639d624e65152ab8f530c359f0861d807ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736" +
            "5af90bbf74a35be6b40b8eedf2785e42874d"), ciphertext);
    }

    [Fact]
    public void ChaCha20_keystream_matches_BouncyCastle_ChaCha7539_and_the_word_view()
    {
        var seed = RandomNumberGenerator.GetBytes(32);
        var nonce = RandomNumberGenerator.GetBytes(12);
        var ours = new byte[10_000 * 8];
        ChaCha20Prg.Keystream(seed, nonce, ours);
        var engine = new ChaCha7539Engine();
        engine.Init(true, new ParametersWithIV(new KeyParameter(seed), nonce));
        var theirs = new byte[ours.Length];
        engine.ProcessBytes(new byte[ours.Length], 0, ours.Length, theirs, 0);
        Assert.Equal(theirs, ours);

        var values = Enumerable.Range(0, 10_001).Select(i => (ulong)i * 0x9E3779B97F4A7C15UL).ToArray();
        var masked = (ulong[])values.Clone();
        var scratch = new ulong[values.Length];
        ChaCha20Prg.AddTo(seed, nonce, masked, subtract: false, scratch);
        var words = new byte[values.Length * 8];
        ChaCha20Prg.Keystream(seed, nonce, words);
        for (int i = 0; i < values.Length; i++)
            Assert.Equal(values[i] + BitConverter.ToUInt64(words, i * 8), masked[i]);
        ChaCha20Prg.AddTo(seed, nonce, masked, subtract: true, scratch);
        Assert.Equal(values, masked);
    }

    [Fact]
    public void ChaCha20_refuses_a_truncated_seed()
    {
        var error = Assert.Throws<ArgumentException>(() => ChaCha20Prg.Keystream(new byte[16], new byte[12], new byte[64]));
        Assert.Contains("32 bytes", error.Message);
    }

    [Fact] // RFC 5869 Appendix A.1 (test case 1) and A.3 (test case 3: no salt, no info).
    public void Hkdf_Rfc5869_TestCases_1_and_3()
    {
        var ikm = Enumerable.Repeat((byte)0x0b, 22).ToArray();
        var okm1 = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 42, Hex("000102030405060708090a0b0c"), Hex("f0f1f2f3f4f5f6f7f8f9"));
        Assert.Equal("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865", Convert.ToHexStringLower(okm1));
        var okm3 = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 42, [], []);
        Assert.Equal("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8", Convert.ToHexStringLower(okm3));
        // Our wrapper is HKDF with an empty salt and the label as info: the first 32 bytes of the same expansion.
        Assert.Equal(HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 32, [], "label"u8.ToArray()), SecureAggregationKdf.Derive(ikm, "label"));
    }

    [Theory] // RFC 8032 §7.1, TEST 1 (empty message) and TEST 2 (one byte 0x72).
    [InlineData("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")]
    [InlineData("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")]
    public void Ed25519_Rfc8032_Section7_1(string seed, string publicKey, string message, string signature)
    {
        using var signer = Ed25519Signer.FromSeed(Hex(seed));
        Assert.Equal(publicKey, Convert.ToHexStringLower(signer.PublicKey));
        Assert.Equal(signature, Convert.ToHexStringLower(signer.Sign(Hex(message))));
        Assert.True(Ed25519Signer.Verify(signer.PublicKey, Hex(message), Hex(signature)));
        var altered = Hex(signature);
        altered[5] ^= 1;
        Assert.False(Ed25519Signer.Verify(signer.PublicKey, Hex(message), altered));
    }

    [Fact]
    public void Ed25519_signatures_verify_in_BouncyCastle_and_not_under_another_key()
    {
        using var signer = Ed25519Signer.Generate();
        using var other = Ed25519Signer.Generate();
        var message = RandomNumberGenerator.GetBytes(100);
        var signature = signer.Sign(message);
        var verifier = new Org.BouncyCastle.Crypto.Signers.Ed25519Signer();
        verifier.Init(false, new Ed25519PublicKeyParameters(signer.PublicKey));
        verifier.BlockUpdate(message, 0, message.Length);
        Assert.True(verifier.VerifySignature(signature));
        Assert.False(Ed25519Signer.Verify(other.PublicKey, message, signature));
        message[0] ^= 1;
        Assert.False(Ed25519Signer.Verify(signer.PublicKey, message, signature));
    }

    [Fact]
    public void Sealed_shares_open_only_with_the_key_and_the_same_associated_data()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var plaintext = RandomNumberGenerator.GetBytes(90);
        var sealedShare = SecureAggregationKdf.Seal(key, plaintext, "a->b"u8);
        Assert.Equal(plaintext, SecureAggregationKdf.Open(key, sealedShare, "a->b"u8));
        Assert.ThrowsAny<CryptographicException>(() => SecureAggregationKdf.Open(key, sealedShare, "c->b"u8));
        sealedShare[3] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => SecureAggregationKdf.Open(key, sealedShare, "a->b"u8));
    }
}
