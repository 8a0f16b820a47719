using Google.Protobuf;
using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.SecureAggregation;
using VerticalFL.Protocol.Horizontal;

namespace VerticalFL.Protocol.Tests.Horizontal.SecureAggregation;

/// <summary>When a client stops answering in a session-level run.</summary>
internal enum Drop { None, BeforeMaskedInput, BeforeUnmask }

/// <summary>What the arbiter held at the end of a session-level round: everything it received.</summary>
internal sealed record ArbiterView(
    Dictionary<string, SecAggAdvertise> Advertisements, Dictionary<string, SecAggShares> Shares,
    IReadOnlyDictionary<string, ulong[]> MaskedInputs, Dictionary<string, SecAggUnmaskResponse> Responses,
    IReadOnlyDictionary<string, string[]> Graph, int Threshold);

/// <summary>
/// Drives the client and arbiter sessions of one round directly (no channel), so tests control dropouts exactly and
/// inspect every message. Inputs are ring vectors; the expected result is their plain sum mod 2^64.
/// </summary>
internal static class SecAggHarness
{
    public const string Job = "job-secagg";

    public static string[] Names(int n) => Enumerable.Range(1, n).Select(i => $"client{i:D2}").ToArray();

    public static ulong[][] RandomInputs(int n, int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, length).Select(_ => (ulong)random.NextInt64(-1000, 1000)).ToArray()).ToArray();
    }

    public static ulong[] PlainSum(IEnumerable<ulong[]> inputs)
    {
        ulong[]? sum = null;
        foreach (var x in inputs)
        {
            sum ??= new ulong[x.Length];
            for (int i = 0; i < x.Length; i++)
                sum[i] += x[i];
        }
        return sum!;
    }

    public static (ulong[] Sum, ArbiterView View) Run(ulong[][] inputs, Func<int, Drop>? drop = null, SecureAggregationSettings? settings = null,
        Func<string, SecAggNeighbours, SecAggNeighbours>? relay = null, int round = 1, Action<SecAggClientSession[]>? inspect = null)
    {
        drop ??= _ => Drop.None;
        settings ??= new SecureAggregationSettings { Enabled = true };
        var names = Names(inputs.Length);
        var identities = SecureAggregationIdentity.ForInProcess(names);
        var sessions = names.Select(n => new SecAggClientSession(n, Job, round, identities[n])).ToArray();
        try
        {
            var server = new SecAggServerSession(Job, round, settings, inputs[0].Length);
            var ads = names.Select((n, i) => (n, sessions[i].Advertise())).ToDictionary(x => x.n, x => x.Item2);
            var neighbours = server.Neighbours(ads);
            var shares = names.Select((n, i) => (n, sessions[i].ShareKeys(relay is null ? neighbours[n] : relay(n, neighbours[n]))))
                .ToDictionary(x => x.n, x => x.Item2);
            var inbox = server.Route(shares);
            var masked = new Dictionary<string, SecAggMaskedInput>();
            for (int i = 0; i < names.Length; i++)
            {
                if (drop(i) == Drop.BeforeMaskedInput || !inbox.ContainsKey(names[i]))
                    continue;
                sessions[i].ReceiveShares(inbox[names[i]]);
                masked[names[i]] = sessions[i].Mask(inputs[i]);
            }
            var requests = server.RequestUnmask(masked);
            var responses = new Dictionary<string, SecAggUnmaskResponse>();
            for (int i = 0; i < names.Length; i++)
                if (drop(i) == Drop.None && requests.TryGetValue(names[i], out var request))
                    responses[names[i]] = sessions[i].Unmask(request);
            var view = new ArbiterView(ads, shares, server.MaskedInputs, responses, server.Graph, server.Threshold);
            var sum = server.Unmask(responses);
            inspect?.Invoke(sessions);
            return (sum, view);
        }
        finally
        {
            foreach (var s in sessions)
                s.Dispose();
        }
    }

    /// <summary>A copy of <paramref name="message"/> with <paramref name="party"/>'s entry changed by <paramref name="change"/>.</summary>
    public static SecAggNeighbours Tamper(SecAggNeighbours message, string party, Action<SecAggPeer> change)
    {
        var copy = message.Clone();
        var peer = copy.Peers.First(p => p.Party == party);
        change(peer);
        return copy;
    }

    /// <summary>What an arbiter can sign: keys of its own, under its own Ed25519 key.</summary>
    public static void Substitute(SecAggPeer peer, int round)
    {
        using var arbiterSigner = Ed25519Signer.Generate();
        using var fake = X25519KeyPair.Generate();
        peer.MaskPublicKey = ByteString.CopyFrom(fake.PublicKey);
        peer.Signature = ByteString.CopyFrom(arbiterSigner.Sign(
            SecAggClientSession.AdvertisedBytes(Job, round, peer.Party, peer.CipherPublicKey.Span, fake.PublicKey)));
    }
}
