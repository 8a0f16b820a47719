using System.Security.Cryptography;
using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.SecureAggregation;

namespace VerticalFL.Protocol.Horizontal;

/// <summary>
/// The arbiter's side of one secure-aggregation round, free of messaging: builds the neighbour graph over the clients
/// that advertised keys (U1), routes sealed shares among those that sent theirs (U2), sums the masked inputs (U3) and,
/// from the survivors' revealed shares, removes the self-masks of U3 and the pairwise masks of U2 \ U3. Every
/// failure names the step, the counts and the threshold.
/// </summary>
internal sealed class SecAggServerSession(string job, int round, SecureAggregationSettings settings, int vectorLength)
{
    private Dictionary<string, SecAggAdvertise> _advertised = [];
    private Dictionary<string, string[]> _neighbours = [];
    private Dictionary<string, int> _index = [];
    private HashSet<string> _shared = [], _survivors = [];
    private readonly Dictionary<string, ulong[]> _masked = new(StringComparer.Ordinal);
    private ulong[]? _sum;

    public int Degree { get; private set; }
    public int Threshold { get; private set; }

    /// <summary>Everything the arbiter received as input: the masked vectors (for tests that inspect its view).</summary>
    public IReadOnlyDictionary<string, ulong[]> MaskedInputs => _masked;

    public IReadOnlyDictionary<string, string[]> Graph => _neighbours;

    /// <summary>Step 1: the graph over U1 and each client's holders (neighbours and itself) with their signed keys.</summary>
    public Dictionary<string, SecAggNeighbours> Neighbours(IReadOnlyDictionary<string, SecAggAdvertise> advertised)
    {
        if (advertised.Count < 3)
            throw Failed($"{advertised.Count} clients advertised keys; secure aggregation needs at least 3 (with 2, each would learn the other's update from the sum)");
        _advertised = advertised.ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        var parties = _advertised.Keys.Order(StringComparer.Ordinal).ToArray();
        _index = parties.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i + 1, StringComparer.Ordinal);
        Degree = NeighbourGraph.Degree(parties.Length, settings.Neighbours);
        Threshold = NeighbourGraph.Threshold(Degree, settings.Threshold);
        _neighbours = NeighbourGraph.Build(parties, Degree);
        return parties.ToDictionary(p => p, p =>
        {
            var message = new SecAggNeighbours { Threshold = Threshold, Clients = parties.Length };
            message.Peers.AddRange(_neighbours[p].Append(p).Select(Peer));
            return message;
        }, StringComparer.Ordinal);
    }

    /// <summary>Step 2: U2 = the clients that sent well-formed shares; each gets the shares its neighbours in U2 sealed for it.</summary>
    public Dictionary<string, SecAggSharesIn> Route(IReadOnlyDictionary<string, SecAggShares> shares)
    {
        _shared = shares.Where(s => WellFormed(s.Key, s.Value)).Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        if (_shared.Count < Math.Max(3, Threshold))
            throw Failed($"{_shared.Count} of {_advertised.Count} clients shared their keys, fewer than max(3, t = {Threshold})");
        var inbox = _shared.ToDictionary(p => p, _ => new SecAggSharesIn(), StringComparer.Ordinal);
        foreach (var owner in _shared)
            foreach (var share in shares[owner].Shares)
                if (_shared.Contains(share.Holder))
                    inbox[share.Holder].Shares.Add(share);
        return inbox;
    }

    /// <summary>Step 3: U3 = the clients in U2 whose masked input arrived; the arbiter adds them up (still masked).</summary>
    public Dictionary<string, SecAggUnmaskRequest> RequestUnmask(IReadOnlyDictionary<string, SecAggMaskedInput> inputs)
    {
        foreach (var (party, input) in inputs)
            if (_shared.Contains(party) && input.Masked.Count == vectorLength)
                _masked[party] = input.Masked.ToArray();
        _survivors = _masked.Keys.ToHashSet(StringComparer.Ordinal);
        if (_survivors.Count < Math.Max(3, Threshold))
            throw Failed($"{_survivors.Count} of {_shared.Count} clients sent their masked input, fewer than max(3, t = {Threshold}); " +
                $"at most n − t = {_shared.Count - Threshold} may drop");
        _sum = new ulong[vectorLength];
        foreach (var y in _masked.Values)
            for (int i = 0; i < y.Length; i++)
                _sum[i] += y[i];
        var request = new SecAggUnmaskRequest();
        request.Survivors.AddRange(_survivors.Order(StringComparer.Ordinal));
        request.Dropped.AddRange(_shared.Except(_survivors).Order(StringComparer.Ordinal));
        return _survivors.ToDictionary(p => p, _ => request, StringComparer.Ordinal);
    }

    /// <summary>
    /// Step 4: Σ_{u ∈ U3} x_u. Reconstructs each survivor's self-mask seed and each dropped client's mask key from t
    /// revealed shares (checking the key against the one it advertised) and removes their masks.
    /// </summary>
    public ulong[] Unmask(IReadOnlyDictionary<string, SecAggUnmaskResponse> responses)
    {
        if (_sum is null)
            throw new InvalidOperationException("Unmask before RequestUnmask.");
        var seedShares = new Dictionary<string, List<ShamirShare>>(StringComparer.Ordinal);
        var keyShares = new Dictionary<string, List<ShamirShare>>(StringComparer.Ordinal);
        foreach (var (responder, response) in responses)
        {
            if (!_survivors.Contains(responder))
                continue;
            Collect(responder, response.SeedShares, seedShares, _survivors);
            Collect(responder, response.KeyShares, keyShares, _shared.Except(_survivors).ToHashSet());
        }
        var shamir = new ShamirSecretSharing();
        var sum = (ulong[])_sum.Clone();
        var scratch = new ulong[sum.Length];
        foreach (var u in _survivors.Order(StringComparer.Ordinal))
        {
            var seed = Reconstruct(shamir, seedShares, u, "self-mask seed", responses.Count);
            ChaCha20Prg.AddTo(seed, SecAggClientSession.SelfMaskNonce, sum, subtract: true, scratch);
            CryptographicOperations.ZeroMemory(seed);
        }
        foreach (var v in _shared.Except(_survivors).Order(StringComparer.Ordinal))
        {
            var secret = Reconstruct(shamir, keyShares, v, "mask key", responses.Count);
            using var key = X25519KeyPair.FromSecret(secret);
            CryptographicOperations.ZeroMemory(secret);
            if (!key.PublicKey.AsSpan().SequenceEqual(_advertised[v].MaskPublicKey.Span))
                throw Failed($"the mask key of dropped client {v} reconstructed from its shares does not match the key it advertised (a holder sent a wrong share)");
            foreach (var u in _neighbours[v].Where(_survivors.Contains))
            {
                var seed = SecAggClientSession.PairSeed(key, _advertised[u].MaskPublicKey.Span, job, round, u, v);
                // u added +PRG when u < v and −PRG when u > v: undo it.
                ChaCha20Prg.AddTo(seed, SecAggClientSession.PairNonce, sum, subtract: string.CompareOrdinal(u, v) < 0, scratch);
                CryptographicOperations.ZeroMemory(seed);
            }
        }
        return sum;
    }

    public IReadOnlyCollection<string> Survivors => _survivors;
    public IReadOnlyCollection<string> Shared => _shared;

    private void Collect(string responder, IEnumerable<SecAggRevealedShare> revealed, Dictionary<string, List<ShamirShare>> into, HashSet<string> allowed)
    {
        foreach (var share in revealed)
        {
            // Only shares a responder can hold (it is the owner or the owner's neighbour), at its own index.
            if (!allowed.Contains(share.Owner) || (share.Owner != responder && !_neighbours[share.Owner].Contains(responder)))
                continue;
            if (!into.TryGetValue(share.Owner, out var list))
                into[share.Owner] = list = [];
            list.Add(new ShamirShare(_index[responder], share.Values.ToArray()));
        }
    }

    private byte[] Reconstruct(ShamirSecretSharing shamir, Dictionary<string, List<ShamirShare>> shares, string owner, string what, int responders)
    {
        int have = shares.TryGetValue(owner, out var list) ? list.Count : 0;
        if (have < Threshold)
            throw Failed($"{have} shares of {owner}'s {what} arrived, fewer than t = {Threshold} ({responders} of {_survivors.Count} survivors answered the unmasking step)");
        try
        {
            return shamir.Combine(list!, Threshold, 32);
        }
        catch (ArgumentException e)
        {
            throw Failed($"{owner}'s {what} does not reconstruct: {e.Message}");
        }
    }

    private bool WellFormed(string owner, SecAggShares shares)
    {
        if (!_advertised.ContainsKey(owner))
            return false;
        var expected = _neighbours[owner].ToHashSet(StringComparer.Ordinal);
        return shares.Shares.Count == expected.Count && shares.Shares.All(s => s.Owner == owner && expected.Remove(s.Holder));
    }

    private SecAggPeer Peer(string party) => new()
    {
        Party = party, Index = _index[party], CipherPublicKey = _advertised[party].CipherPublicKey,
        MaskPublicKey = _advertised[party].MaskPublicKey, Signature = _advertised[party].Signature,
    };

    private HorizontalJobException Failed(string reason) => new HorizontalJobException($"round {round}: secure aggregation failed: {reason}.");
}
