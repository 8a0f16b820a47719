using System.Buffers.Binary;
using System.Security.Cryptography;

namespace VerticalFL.Crypto.Masking;

/// <summary>
/// Pairwise additive masks that cancel in a sum (the secure-aggregation idea of Bonawitz et al., CCS 2017,
/// without dropouts): every pair of parties agrees on a key by ECDH (P-256), expands it with HKDF-SHA256 into an
/// AES-256 key, and takes AES-CTR output as a stream of uniform 64-bit words. Party a adds the pair's word
/// and party b subtracts it (a before b in ordinal order), so the masks cancel in the sum mod 2^64 while each
/// party's masked value alone is uniform to anyone lacking one of its pair keys.
/// </summary>
public sealed class PairwiseMask : IDisposable
{
    private readonly ECDiffieHellman _key;

    /// <summary>A fresh key pair.</summary>
    public PairwiseMask() => _key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);

    private PairwiseMask(ECDiffieHellman key) => _key = key;

    /// <summary>
    /// The key pair <see cref="ExportPrivateKey"/> wrote (PKCS#8 DER): a long-lived mask key (online serving) survives
    /// a restart of its party, so the masks of the other parties still cancel against it.
    /// </summary>
    /// <exception cref="ArgumentException">The bytes are not a P-256 private key.</exception>
    public static PairwiseMask Import(ReadOnlySpan<byte> pkcs8)
    {
        var key = ECDiffieHellman.Create();
        try
        {
            key.ImportPkcs8PrivateKey(pkcs8, out _);
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new ArgumentException("The mask private key is not a valid PKCS#8 EC key.", nameof(pkcs8), e);
        }
        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new ArgumentException("The mask private key is not a P-256 key.", nameof(pkcs8));
        }
        return new PairwiseMask(key);
    }

    /// <summary>This party's private key as PKCS#8 DER; the caller keeps it private (a 0600 file).</summary>
    public byte[] ExportPrivateKey() => _key.ExportPkcs8PrivateKey();

    /// <summary>This party's fresh public key (SubjectPublicKeyInfo DER), to send to the others.</summary>
    public byte[] PublicKey => _key.ExportSubjectPublicKeyInfo();

    /// <summary>
    /// Adds this party's net mask to <paramref name="values"/> in place: +stream for each peer after <paramref name="self"/>,
    /// −stream for each peer before it.
    /// </summary>
    /// <param name="peerKeys">Every other party's public key, by party id.</param>
    /// <param name="context">Binds the streams to one use (e.g. the job id); all parties must pass the same.</param>
    public void Apply(string self, IReadOnlyDictionary<string, byte[]> peerKeys, string context, ulong[] values)
    {
        foreach (var (peer, publicKey) in peerKeys)
        {
            int order = string.CompareOrdinal(self, peer);
            if (order == 0)
                throw new ArgumentException($"'{self}' cannot mask against itself.", nameof(peerKeys));
            var stream = Stream(publicKey, order < 0 ? $"{self}\n{peer}" : $"{peer}\n{self}", context, values.Length);
            for (int i = 0; i < values.Length; i++)
                values[i] = order < 0 ? values[i] + stream[i] : values[i] - stream[i];
        }
    }

    /// <summary>The pair's mask stream: AES-256-CTR keyed by HKDF-SHA256(ECDH secret, info = pair and context).</summary>
    internal ulong[] Stream(byte[] peerPublicKey, string pair, string context, int count)
    {
        byte[] secret = Agree(peerPublicKey);
        try
        {
            return StreamFrom(secret, pair, context, count);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>
    /// The ECDH secrets with every peer, computed once for many uses (online serving masks each request under its own
    /// context): the same streams as <see cref="Apply"/>, without an ECDH per use.
    /// </summary>
    /// <exception cref="ArgumentException">A key is not a P-256 public key, or names <paramref name="self"/>.</exception>
    public PairwiseMaskSecrets AgreeWith(string self, IReadOnlyDictionary<string, byte[]> peerKeys)
    {
        var secrets = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (peer, publicKey) in peerKeys)
        {
            if (peer == self)
                throw new ArgumentException($"'{self}' cannot mask against itself.", nameof(peerKeys));
            secrets[peer] = Agree(publicKey);
        }
        return new PairwiseMaskSecrets(self, secrets);
    }

    private byte[] Agree(byte[] peerPublicKey)
    {
        using var peer = ECDiffieHellman.Create();
        try
        {
            peer.ImportSubjectPublicKeyInfo(peerPublicKey, out _);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException("A peer's mask public key is not a valid P-256 key.", nameof(peerPublicKey), e);
        }
        if (peer.KeySize != 256)
            throw new ArgumentException("A peer's mask public key is not a P-256 key.", nameof(peerPublicKey));
        return _key.DeriveRawSecretAgreement(peer.PublicKey);
    }

    internal static ulong[] StreamFrom(byte[] secret, string pair, string context, int count)
    {
        byte[] aesKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, salt: [], info: System.Text.Encoding.UTF8.GetBytes($"vfl/pairwise-mask/v1\n{pair}\n{context}"));
        try
        {
            return Expand(aesKey, count);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(aesKey);
        }
    }

    /// <summary>AES-CTR keystream from a zero IV: block i encrypts the 128-bit big-endian counter i; each block gives two words.</summary>
    private static ulong[] Expand(byte[] key, int count)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        int blocks = (count + 1) / 2;
        var counters = new byte[blocks * 16];
        for (int b = 0; b < blocks; b++)
            BinaryPrimitives.WriteInt64BigEndian(counters.AsSpan(b * 16 + 8), b);
        byte[] keystream = aes.EncryptEcb(counters, PaddingMode.None);
        var words = new ulong[count];
        for (int i = 0; i < count; i++)
            words[i] = BinaryPrimitives.ReadUInt64LittleEndian(keystream.AsSpan(i * 8));
        return words;
    }

    public void Dispose() => _key.Dispose();
}
