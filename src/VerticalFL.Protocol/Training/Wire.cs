using System.Numerics;
using System.Security.Cryptography;
using Google.Protobuf;
using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.Paillier;

namespace VerticalFL.Protocol.Training;

/// <summary>Conversions between protocol values and their message fields.</summary>
internal static class Wire
{
    public static EncryptedVector Vector(IReadOnlyList<Ciphertext> ciphertexts, int fractionalBits, int batchRows = 0) => new()
    {
        Ciphertexts = ByteString.CopyFrom(Ciphertext.Pack(ciphertexts)),
        FractionalBits = fractionalBits,
        BatchRows = batchRows,
    };

    public static Ciphertext[] Ciphertexts(PaillierPublicKey key, EncryptedVector message) => Ciphertext.Unpack(key, message.Ciphertexts.Span);

    public static EncryptedScalar Scalar(Ciphertext ciphertext, int fractionalBits) => new()
    {
        Ciphertext = ByteString.CopyFrom(Ciphertext.Pack([ciphertext])),
        FractionalBits = fractionalBits,
    };

    public static Ciphertext ScalarCiphertext(PaillierPublicKey key, EncryptedScalar message) =>
        Crypto.Paillier.Ciphertext.Unpack(key, message.Ciphertext.Span).Single();

    public static MaskedValues Integers(IEnumerable<BigInteger> values)
    {
        var message = new MaskedValues();
        message.Values.AddRange(values.Select(v => ByteString.CopyFrom(v.ToByteArray())));
        return message;
    }

    public static BigInteger[] Integers(MaskedValues message) => message.Values.Select(v => new BigInteger(v.Span)).ToArray();

    /// <summary>
    /// round(v·2^bits) as longs for EncryptBatch. Scores beyond ±2^20 mean training diverged (a logistic
    /// score of 20 is already p = 1 − 2e-9), and would overflow the fixed-point bounds the masks rely on.
    /// </summary>
    public static long[] FixedPoint(IReadOnlyList<double> values, int bits)
    {
        double scale = Math.Pow(2, bits);
        var result = new long[values.Count];
        for (int i = 0; i < result.Length; i++)
        {
            if (!(Math.Abs(values[i]) < 1 << 20))
                throw new InvalidOperationException($"Training diverged: a score of {values[i]:G4}; lower learning_rate.");
            result[i] = (long)Math.Round(values[i] * scale);
        }
        return result;
    }

    /// <summary>
    /// The arbiter's copy of the schedule: without the id digests, which it does not need and which, being
    /// unsalted hashes of the id set, would let it confirm a guessed list of customers offline.
    /// </summary>
    public static TrainingStart WithoutIdDigests(TrainingStart start)
    {
        var copy = start.Clone();
        copy.IdsDigest = ByteString.Empty;
        copy.ValidationIdsDigest = ByteString.Empty;
        return copy;
    }

    /// <summary>SHA-256 over the ordered ids, so parties can check they hold the same rows without sending them.</summary>
    public static ByteString Digest(IReadOnlyList<string> ids)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (string id in ids)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(id);
            hash.AppendData(BitConverter.GetBytes(bytes.Length));
            hash.AppendData(bytes);
        }
        return ByteString.CopyFrom(hash.GetHashAndReset());
    }

    public static void DisposeAll(IEnumerable<Ciphertext> ciphertexts)
    {
        foreach (var c in ciphertexts)
            c.Dispose();
    }
}
