using System.Collections.Concurrent;
using System.Security.Cryptography;
using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.Masking;
using VerticalFL.Protocol.Prediction;

namespace VerticalFL.Protocol.Serving;

/// <summary>
/// One host's part of one deployed model version: its score table and, with several hosts, its long-lived mask key
/// and the other hosts' keys. Answers the guest's batches with the batch-prediction scheme (docs/protocol/prediction.md):
/// one host sends plain partial scores; several send fixed-point words plus pairwise masks that cancel only in the
/// sum over all hosts. The masks of a batch are bound to (deployment, version, guest session, request id), and a
/// request id is answered once per session, so no mask is ever reused on different values.
/// </summary>
public sealed class ServedPart : IDisposable
{
    private readonly PairwiseMask? _mask;
    private readonly ConcurrentDictionary<string, ReplayWindow> _sessions = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, byte[]>? _peerKeys;
    private PairwiseMaskSecrets? _secrets;

    /// <param name="mask">This host's mask key; null when it is the deployment's only host.</param>
    public ServedPart(string self, string name, string modelJob, IReadOnlyList<string> hosts, ReloadingTable table, PairwiseMask? mask)
    {
        if (hosts.Count > MaskedScores.MaxHosts)
            throw new ArgumentException($"at most {MaskedScores.MaxHosts} hosts (got {hosts.Count}).", nameof(hosts));
        if ((hosts.Count > 1) != (mask is not null))
            throw new ArgumentException("a mask key is needed exactly when there are several hosts.", nameof(mask));
        Self = self;
        Name = name;
        ModelJob = modelJob;
        Hosts = hosts;
        Table = table;
        _mask = mask;
    }

    public string Self { get; }
    public string Name { get; }
    public string ModelJob { get; }
    public IReadOnlyList<string> Hosts { get; }
    public ReloadingTable Table { get; }

    public byte[]? MaskPublicKey => _mask?.PublicKey;

    /// <summary>The other hosts' keys once armed (several hosts only).</summary>
    public IReadOnlyDictionary<string, byte[]>? PeerKeys => _peerKeys;

    /// <summary>Ready to answer: a single host at once; several once the guest relayed every host's key.</summary>
    public bool IsArmed => _mask is null || _peerKeys is not null;

    /// <summary>Takes the keys the guest relayed; they must be exactly the deployment's hosts, with this host's own key unchanged.</summary>
    /// <exception cref="InvalidOperationException">The relayed set is not this deployment's hosts, or this host's key was replaced.</exception>
    public void Arm(IReadOnlyDictionary<string, byte[]> relayed)
    {
        if (_mask is null)
            throw new InvalidOperationException("a deployment with one host has no mask keys to arm.");
        var expected = Hosts.Order(StringComparer.Ordinal);
        if (!relayed.Keys.Order(StringComparer.Ordinal).SequenceEqual(expected) || !relayed[Self].AsSpan().SequenceEqual(_mask.PublicKey))
            throw new InvalidOperationException(
                $"the guest relayed mask keys for [{string.Join(", ", relayed.Keys)}], not this deployment's hosts with this host's own key.");
        var peers = relayed.Where(kv => kv.Key != Self).ToDictionary(kv => kv.Key, kv => kv.Value);
        PairwiseMaskSecrets secrets;
        try
        {
            // One ECDH per peer here, not one per request.
            secrets = _mask.AgreeWith(Self, peers);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"the guest relayed a mask key that is not usable: {e.Message}", e);
        }
        _secrets = secrets;
        Volatile.Write(ref _peerKeys, peers);
    }

    /// <summary>The partial scores of one batch, in its id order, with the positions of unknown ids.</summary>
    public ScoreReply Answer(ScoreBatch batch)
    {
        var reply = new ScoreReply { RequestId = batch.RequestId };
        var table = Table.Current;
        var scores = new double[batch.Ids.Count];
        for (int i = 0; i < scores.Length; i++)
            if (!table.TryGet(batch.Ids[i], out scores[i]))
                reply.Unknown.Add(i);
        if (_mask is null)
        {
            reply.Scores.AddRange(scores);
            return reply;
        }
        if (!IsArmed)
            return Error(reply, "this deployment's mask keys have not been armed yet");
        if (batch.Session.Length != 16)
            return Error(reply, "a masked batch needs a 16-byte session");
        string session = Convert.ToHexString(batch.Session.Span);
        if (!_sessions.GetOrAdd(session, _ => new ReplayWindow()).TryAccept(batch.RequestId))
            return Error(reply, $"request {batch.RequestId} of this session was answered before (or is too old): a mask is never reused");
        reply.Masked.AddRange(Masked(scores, reply.Unknown, MaskContext(session, batch.RequestId)));
        return reply;
    }

    /// <summary>
    /// Fixed-point words plus masks. Where this host does not know an id it sends a fresh uniform word, so the sum
    /// the guest reads for that id is uniform too: it cannot learn the other hosts' partial scores of an id that
    /// this host lacks.
    /// </summary>
    private ulong[] Masked(double[] scores, IList<int> unknown, string context)
    {
        var words = MaskedScores.Encode(scores);
        foreach (int i in unknown)
            words[i] = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
        _secrets!.Apply(context, words);
        return words;
    }

    /// <summary>What every host of the deployment binds a batch's masks to (they must all derive the same).</summary>
    internal string MaskContext(string session, ulong requestId) => $"serve\n{Name}\n{ModelJob}\n{session}\n{requestId}";

    private static ScoreReply Error(ScoreReply reply, string error)
    {
        reply.Scores.Clear();
        reply.Unknown.Clear();
        reply.Error = error;
        return reply;
    }

    public void Dispose()
    {
        _mask?.Dispose();
        _secrets?.Dispose();
    }
}
