using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.SecureAggregation;

namespace VerticalFL.Protocol.Horizontal;

/// <summary>
/// One client's side of one secure-aggregation round (Bonawitz et al. 2017, §4 with the SecAgg+ graph), free of
/// messaging so tests can drive and tamper with it: advertise keys → share keys → masked input → unmask. Fresh
/// X25519 keys and self-mask seed every round; all wiped on <see cref="Dispose"/>.
/// </summary>
internal sealed class SecAggClientSession : IDisposable
{
    private const int SecretElements = 5;   // ⌈32 bytes / 7⌉ field elements per shared secret

    private readonly SecureAggregationIdentity _identity;
    private readonly string _self, _job;
    private readonly int _round;
    private readonly X25519KeyPair _cipher = X25519KeyPair.Generate(), _mask = X25519KeyPair.Generate();
    private readonly byte[] _seed = RandomNumberGenerator.GetBytes(ChaCha20Prg.SeedSize);
    private readonly Dictionary<string, SecAggPeer> _holders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ulong[] Key, ulong[] Seed)> _held = new(StringComparer.Ordinal);
    private readonly HashSet<string> _maskedWith = new(StringComparer.Ordinal);
    private int _threshold, _clients;
    private bool _unmasked;

    public SecAggClientSession(string self, string job, int round, SecureAggregationIdentity identity)
    {
        (_self, _job, _round, _identity) = (self, job, round, identity);
    }

    public int Clients => _clients;

    public SecAggAdvertise Advertise() => new()
    {
        Round = _round,
        CipherPublicKey = ByteString.CopyFrom(_cipher.PublicKey),
        MaskPublicKey = ByteString.CopyFrom(_mask.PublicKey),
        Signature = ByteString.CopyFrom(_identity.Signer.Sign(AdvertisedBytes(_job, _round, _self, _cipher.PublicKey, _mask.PublicKey))),
    };

    /// <summary>What a key advertisement's signature covers: the job, round and party, so it cannot be replayed elsewhere.</summary>
    public static byte[] AdvertisedBytes(string job, int round, string party, ReadOnlySpan<byte> cipherKey, ReadOnlySpan<byte> maskKey) =>
        [.. Encoding.UTF8.GetBytes($"vfl/secagg/v1/advertise\n{job}\n{round}\n{party}\n"), .. cipherKey, .. maskKey];

    /// <summary>
    /// Checks every holder's signed keys against the registry and splits this client's mask key and self-mask seed
    /// into t-of-(k+1) shares, one sealed for each neighbour (its own share it keeps).
    /// </summary>
    /// <exception cref="HorizontalJobException">A relayed advertisement is altered, re-signed or unknown, or the round's parameters are unsafe.</exception>
    public SecAggShares ShareKeys(SecAggNeighbours message)
    {
        _threshold = message.Threshold;
        _clients = message.Clients;
        if (_clients < 3)
            throw Refused($"the arbiter says {_clients} clients take part; secure aggregation needs at least 3");
        var indices = new HashSet<int>();
        var maskKeys = new HashSet<string>();
        foreach (var peer in message.Peers)
        {
            if (!_identity.Registry.TryGetValue(peer.Party, out var verificationKey))
                throw Refused($"the arbiter relayed keys of '{peer.Party}', which is not a registered party");
            if (peer.CipherPublicKey.Length != X25519KeyPair.KeySize || peer.MaskPublicKey.Length != X25519KeyPair.KeySize)
                throw Refused($"{peer.Party}'s advertised keys are not 32-byte X25519 keys");
            if (!Ed25519Signer.Verify(verificationKey, AdvertisedBytes(_job, _round, peer.Party, peer.CipherPublicKey.Span, peer.MaskPublicKey.Span), peer.Signature.Span))
                throw Refused($"{peer.Party}'s key advertisement does not verify against its registered Ed25519 key (altered or re-signed)");
            if (peer.Index < 1 || !indices.Add(peer.Index) || !maskKeys.Add(Convert.ToBase64String(peer.MaskPublicKey.Span)) || !_holders.TryAdd(peer.Party, peer))
                throw Refused($"{peer.Party} appears twice or shares an index or key with another holder");
        }
        if (!_holders.TryGetValue(_self, out var me) || !me.MaskPublicKey.Span.SequenceEqual(_mask.PublicKey) || !me.CipherPublicKey.Span.SequenceEqual(_cipher.PublicKey))
            throw Refused("the arbiter did not relay this client's own keys unchanged");
        // t must be a majority of the holders: with t ≤ (k+1)/2 two disjoint sets of holders could each reconstruct.
        if (2 * _threshold <= _holders.Count || _threshold > _holders.Count)
            throw Refused($"threshold {_threshold} is not a majority of the {_holders.Count} share holders");

        var shamir = new ShamirSecretSharing();
        var holders = _holders.Values.ToArray();
        var maskSecret = _mask.ExportSecret();
        try
        {
            var keyShares = shamir.Split(maskSecret, _threshold, holders.Select(h => h.Index).ToArray());
            var seedShares = shamir.Split(_seed, _threshold, holders.Select(h => h.Index).ToArray());
            var output = new SecAggShares();
            for (int i = 0; i < holders.Length; i++)
            {
                if (holders[i].Party == _self)
                {
                    _held[_self] = (keyShares[i].Y, seedShares[i].Y);
                    continue;
                }
                var plaintext = SharePlaintext(keyShares[i].Y, seedShares[i].Y);
                var key = ShareKey(_self, holders[i].Party, holders[i].CipherPublicKey.Span);
                output.Shares.Add(new SecAggSealedShare
                {
                    Owner = _self, Holder = holders[i].Party,
                    Ciphertext = ByteString.CopyFrom(SecureAggregationKdf.Seal(key, plaintext, ShareAad(_self, holders[i].Party))),
                });
                CryptographicOperations.ZeroMemory(plaintext);
                CryptographicOperations.ZeroMemory(key);
            }
            return output;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(maskSecret);
        }
    }

    /// <summary>Opens the shares neighbours sealed for this client; their owners are the neighbours it masks with.</summary>
    public void ReceiveShares(SecAggSharesIn message)
    {
        foreach (var share in message.Shares)
        {
            if (share.Holder != _self || share.Owner == _self || !_holders.TryGetValue(share.Owner, out var owner) || _held.ContainsKey(share.Owner))
                throw Refused($"the arbiter relayed a share from '{share.Owner}' to '{share.Holder}' that this client did not expect");
            var key = ShareKey(share.Owner, _self, owner.CipherPublicKey.Span);
            byte[] plaintext;
            try
            {
                plaintext = SecureAggregationKdf.Open(key, share.Ciphertext.Span, ShareAad(share.Owner, _self));
            }
            catch (CryptographicException)
            {
                throw Refused($"the share from {share.Owner} does not authenticate (altered in transit)");
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }
            if (plaintext.Length != 2 * SecretElements * 8)
                throw Refused($"the share from {share.Owner} has {plaintext.Length} bytes");
            var words = new ulong[2 * SecretElements];
            for (int i = 0; i < words.Length; i++)
                words[i] = BinaryPrimitives.ReadUInt64LittleEndian(plaintext.AsSpan(8 * i));
            CryptographicOperations.ZeroMemory(plaintext);
            _held[share.Owner] = (words[..SecretElements], words[SecretElements..]);
            _maskedWith.Add(share.Owner);
        }
        if (_maskedWith.Count + 1 < _threshold)
            throw Refused($"only {_maskedWith.Count} neighbours shared keys, fewer than the threshold {_threshold} needs");
    }

    /// <summary>y = x + PRG(b) + Σ_{v &gt; self} PRG(s_{self,v}) − Σ_{v &lt; self} PRG(s_{self,v}) mod 2^64, over neighbours that shared keys.</summary>
    public SecAggMaskedInput Mask(ulong[] input)
    {
        var y = (ulong[])input.Clone();
        var scratch = new ulong[y.Length];
        ChaCha20Prg.AddTo(_seed, SelfMaskNonce, y, subtract: false, scratch);
        foreach (var peer in _maskedWith)
        {
            var seed = PairSeed(_mask, _holders[peer].MaskPublicKey.Span, _job, _round, _self, peer);
            ChaCha20Prg.AddTo(seed, PairNonce, y, subtract: string.CompareOrdinal(_self, peer) > 0, scratch);
            CryptographicOperations.ZeroMemory(seed);
        }
        var message = new SecAggMaskedInput();
        message.Masked.AddRange(y);
        return message;
    }

    /// <summary>
    /// Reveals, for each owner whose shares this client holds, the seed share if the owner survived or the key share if
    /// it dropped — never both for one owner, and only once per round.
    /// </summary>
    public SecAggUnmaskResponse Unmask(SecAggUnmaskRequest request)
    {
        if (_unmasked)
            throw Refused("the arbiter asked twice to unmask one round");
        _unmasked = true;
        var survivors = request.Survivors.ToHashSet(StringComparer.Ordinal);
        var dropped = request.Dropped.ToHashSet(StringComparer.Ordinal);
        if (survivors.Overlaps(dropped))
            throw Refused($"the arbiter lists {string.Join(", ", survivors.Intersect(dropped))} both as survivor and as dropped");
        if (!survivors.Contains(_self))
            throw Refused("the arbiter asks this client to unmask a round it says it did not finish");
        if (survivors.Count < Math.Max(3, _threshold))
            throw Refused($"only {survivors.Count} survivors: their sum would reveal too much (at least max(3, t = {_threshold}) needed)");
        var response = new SecAggUnmaskResponse();
        int index = _holders[_self].Index;
        foreach (var (owner, shares) in _held)
        {
            if (survivors.Contains(owner))
                response.SeedShares.Add(Revealed(owner, index, shares.Seed));
            else if (dropped.Contains(owner))
                response.KeyShares.Add(Revealed(owner, index, shares.Key));
        }
        return response;
    }

    /// <summary>The shares this client holds of <paramref name="owner"/>'s secrets: what a client colluding with the arbiter could hand over (attack tests).</summary>
    internal (int Index, ulong[] Key, ulong[] Seed)? HeldShares(string owner) =>
        _held.TryGetValue(owner, out var shares) ? (_holders[_self].Index, shares.Key, shares.Seed) : null;

    internal static readonly byte[] SelfMaskNonce = "vfl-selfmask"u8.ToArray(), PairNonce = "vfl-pairmask"u8.ToArray();

    /// <summary>The pairwise mask seed: HKDF(X25519(mine, theirs), job, round, the ordered pair), a full 32-byte ChaCha20 key.</summary>
    internal static byte[] PairSeed(X25519KeyPair mine, ReadOnlySpan<byte> theirs, string job, int round, string a, string b)
    {
        var shared = mine.Agree(theirs);
        try
        {
            var (first, second) = string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a);
            return SecureAggregationKdf.Derive(shared, $"vfl/secagg/v1/mask\n{job}\n{round}\n{first}\n{second}");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(shared);
        }
    }

    private byte[] ShareKey(string owner, string holder, ReadOnlySpan<byte> peerCipherKey)
    {
        var shared = _cipher.Agree(peerCipherKey);
        try
        {
            return SecureAggregationKdf.Derive(shared, $"vfl/secagg/v1/share\n{_job}\n{_round}\n{owner}\n{holder}");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(shared);
        }
    }

    private static byte[] ShareAad(string owner, string holder) => Encoding.UTF8.GetBytes($"{owner}\n{holder}");

    private static byte[] SharePlaintext(ulong[] key, ulong[] seed)
    {
        var bytes = new byte[(key.Length + seed.Length) * 8];
        for (int i = 0; i < key.Length; i++)
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8 * i), key[i]);
        for (int i = 0; i < seed.Length; i++)
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8 * (key.Length + i)), seed[i]);
        return bytes;
    }

    private static SecAggRevealedShare Revealed(string owner, int index, ulong[] values)
    {
        var share = new SecAggRevealedShare { Owner = owner, Index = index };
        share.Values.AddRange(values);
        return share;
    }

    private HorizontalJobException Refused(string reason) =>
        new HorizontalJobException($"{_self} refuses secure-aggregation round {_round}: {reason}.");

    public void Dispose()
    {
        _cipher.Dispose();
        _mask.Dispose();
        CryptographicOperations.ZeroMemory(_seed);
        foreach (var (key, seed) in _held.Values)
        {
            Array.Clear(key);
            Array.Clear(seed);
        }
    }
}
