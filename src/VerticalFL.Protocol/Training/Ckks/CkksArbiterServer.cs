using Google.Protobuf;
using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.Ckks;
using VerticalFL.Crypto.Ckks.Flooding;
using VerticalFL.Crypto.Ckks.Serialization;
using VerticalFL.Ml.Data;
using VerticalFL.Protocol.Channels;

namespace VerticalFL.Protocol.Training;

/// <summary>
/// The arbiter's CKKS side: a fresh key pair per job, its flooding budget sized to the job's releases (τ), and one
/// flooded integer per requested value. It sees c₁ and masked c₀ sums (uniform), and the loss.
/// </summary>
internal sealed class CkksArbiterServer : IDisposable
{
    private readonly IPartyChannel _channel;
    private readonly FederationRoles _roles;
    private readonly IReadOnlyDictionary<string, int> _gradientLengths;
    private readonly CkksContext _context;
    private readonly KeyGenerator _keys;
    private readonly FloodedDecryptor _decryptor;

    private CkksArbiterServer(IPartyChannel channel, FederationRoles roles, IReadOnlyDictionary<string, int> gradientLengths,
        CkksContext context, KeyGenerator keys, FloodedDecryptor decryptor)
    {
        _channel = channel;
        _roles = roles;
        _gradientLengths = gradientLengths;
        _context = context;
        _keys = keys;
        _decryptor = decryptor;
    }

    public ReleaseBudget Budget => _decryptor.Budget;

    /// <summary>Refuses an over-budget job (with the numbers), makes the key, sends the public key to every data party.</summary>
    public static async Task<CkksArbiterServer> StartAsync(IPartyChannel channel, FederationRoles roles, HeteroLrParameters parameters,
        TrainingStart start, IReadOnlyDictionary<string, int> gradientLengths, CancellationToken ct)
    {
        var lengths = gradientLengths.Values.ToArray();
        if (CkksReleasePlan.Refusal(parameters, roles.Hosts.Count, start.Rows, start.StartEpoch, lengths) is { Length: > 0 } refusal)
            throw new BadInputException(refusal);
        long releases = Math.Max(1, CkksReleasePlan.Releases(parameters, roles.Hosts.Count, start.Rows, start.StartEpoch, lengths));
        var context = new CkksContext(CkksDefaults.Parameters());
        var keys = new KeyGenerator(context);
        var policy = new FloodingPolicy(releases, System.Numerics.BigInteger.One << parameters.CkksNoiseBits);
        var server = new CkksArbiterServer(channel, roles, gradientLengths, context, keys, new FloodedDecryptor(context, keys.SecretKey, policy));
        var message = new CkksPublicKeyMessage
        {
            Parameters = ByteString.CopyFrom(SealSerializer.Save(context.Parameters)),
            PublicKey = ByteString.CopyFrom(SealSerializer.Save(keys.CreatePublicKey())),
            MaxReleases = releases, NoiseBoundBits = parameters.CkksNoiseBits, StatisticalBits = policy.StatisticalSecurityBits,
        };
        await channel.BroadcastAsync(roles.DataParties, message, Step.None, ct);
        return server;
    }

    /// <summary>
    /// One party's gradient request, in chunks: exactly its declared length over all chunks, each chunk starting where
    /// the previous one ended and at most <see cref="CkksWire.EntriesPerMessage"/> entries, checked before any of its
    /// entries is released; one flooded release per value (charged to the key's budget as it is made), answered to
    /// that party alone once every chunk is in.
    /// </summary>
    public async Task ServeGradientAsync(string party, Step step, CancellationToken ct)
    {
        int expected = _gradientLengths[party], perMessage = CkksWire.EntriesPerMessage(_context);
        var released = new System.Numerics.BigInteger[expected];
        int received = 0;
        do
        {
            var message = await _channel.ReceiveAsync<CkksReleaseRequest>(party, step, ct);
            if (message.Total != expected)
                throw new BadInputException($"Step {step}: party '{party}' asked for {message.Total} CKKS releases; its gradient has {expected} values. The arbiter refuses.");
            if (message.First != received || message.Entries < 1 || message.Entries > perMessage || message.Entries > expected - received)
                throw new BadInputException($"Step {step}: party '{party}' sent a CKKS release chunk of entries [{message.First}, {(long)message.First + message.Entries}) " +
                    $"where entries [{received}, {Math.Min(expected, received + perMessage)}) were due (at most {perMessage} per message, {expected} in all). The arbiter refuses.");
            var requests = CkksWire.Requests(message, _context, $"Step {step}: party '{party}'");
            int offset = received;
            Parallel.For(0, requests.Length, e => released[offset + e] = _decryptor.ReleaseCoefficient0(requests[e]));
            received += requests.Length;
        }
        while (received < expected);
        await _channel.SendAsync(party, CkksWire.Integers(released), step, ct);
    }

    /// <summary>The guest's batch loss sum, flooded: Σ slots of the loss ciphertext.</summary>
    public async Task<double> ReceiveLossAsync(Step step, CancellationToken ct)
    {
        var message = await _channel.ReceiveAsync<CkksLossRequest>(_roles.Guest, step, ct);
        var request = message.Request ?? new CkksReleaseRequest();
        var requests = CkksWire.Requests(request, _context, $"Step {step}: the guest's loss");
        if (requests.Length != 1 || request.First != 0 || request.Total != 1)
            throw new BadInputException($"Step {step}: the guest sent {requests.Length} loss values; one is expected.");
        return CkksSession.SlotSum(_decryptor.ReleaseCoefficient0(requests[0]));
    }

    public void Dispose() => _keys.SecretKey.Dispose();
}
