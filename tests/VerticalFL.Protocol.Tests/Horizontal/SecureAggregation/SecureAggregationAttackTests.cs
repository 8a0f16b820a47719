using VerticalFL.Crypto.SecureAggregation;
using VerticalFL.Protocol.Horizontal;
using static VerticalFL.Protocol.Tests.Horizontal.SecureAggregation.SecAggHarness;

namespace VerticalFL.Protocol.Tests.Horizontal.SecureAggregation;

/// <summary>
/// An honest-but-curious arbiter tries to recover one client's update from everything it received in a round, and
/// must fail. A second test gives the attack what an equivocating (malicious) arbiter could obtain — both kinds of
/// share for one client — and shows the same code then succeeds: the attack is real, and the documented limit holds.
/// </summary>
public sealed class SecureAggregationAttackTests
{
    private const int Victim = 0;

    /// <summary>The arbiter's best estimate of the victim's input: its masked input minus every mask it can compute.</summary>
    private static ulong[] Estimate(ArbiterView view, byte[]? victimMaskKey)
    {
        string victim = Names(view.MaskedInputs.Count)[Victim];
        var y = (ulong[])view.MaskedInputs[victim].Clone();
        var scratch = new ulong[y.Length];
        // 1. The victim survived, so the arbiter legitimately reconstructs its self-mask seed from revealed shares.
        var seedShares = view.Responses.Values.SelectMany(r => r.SeedShares).Where(s => s.Owner == victim)
            .Select(s => new ShamirShare(s.Index, s.Values.ToArray())).ToList();
        var seed = new ShamirSecretSharing().Combine(seedShares, view.Threshold, 32);
        ChaCha20Prg.AddTo(seed, SecAggClientSession.SelfMaskNonce, y, subtract: true, scratch);
        // 2. Pairwise masks need the victim's mask key (or each neighbour's). Honest clients revealed no key share of a
        //    survivor; the arbiter's best guess is to treat the seed shares as key shares, which must not give the key.
        var guess = victimMaskKey ?? seed;
        using var key = X25519KeyPair.FromSecret(guess);
        foreach (var peer in view.Graph[victim])
        {
            var pair = SecAggClientSession.PairSeed(key, view.Advertisements[peer].MaskPublicKey.Span, Job, 1, victim, peer);
            ChaCha20Prg.AddTo(pair, SecAggClientSession.PairNonce, y, subtract: string.CompareOrdinal(victim, peer) < 0, scratch);
        }
        return y;
    }

    [Fact]
    [Trait("Category", "Attack")]
    public void HonestButCuriousArbiter_CannotRecoverOneClientsUpdateFromItsView()
    {
        var inputs = RandomInputs(5, 2_000, seed: 31);
        var (_, view) = Run(inputs);
        var estimate = Estimate(view, victimMaskKey: null);
        // The victim's values lie in (−1000, 1000); the estimate must match almost none of them and be spread
        // over the whole ring (median |value| far above any update's).
        Assert.True(estimate.Zip(inputs[Victim]).Count(p => p.First == p.Second) < 3, "estimate equals the update");
        double median = estimate.Select(w => Math.Abs((double)unchecked((long)w))).Order().ElementAt(estimate.Length / 2);
        Assert.True(median > 1e17, $"median |estimate| {median:E2}");
        // Nor does the seed-as-key guess give the victim's advertised mask key.
        Assert.NotEqual(view.Advertisements[Names(5)[Victim]].MaskPublicKey.ToByteArray(),
            X25519KeyPair.FromSecret(new ShamirSecretSharing().Combine(view.Responses.Values.SelectMany(r => r.SeedShares)
                .Where(s => s.Owner == Names(5)[Victim]).Select(s => new ShamirShare(s.Index, s.Values.ToArray())).ToList(), view.Threshold, 32)).PublicKey);
    }

    [Fact]
    public void ArbiterColludingWithTHoldersOfTheVictim_RecoversItsUpdate_TheDocumentedLimit()
    {
        // Positive control of the attack code, and the threshold's meaning: t holders of the victim hand the arbiter
        // their key shares of it (each holds one next to its seed share); with the reconstructed mask key the same
        // estimate equals the victim's update exactly. Fewer than t colluders leave the key uniformly undetermined.
        var inputs = RandomInputs(5, 2_000, seed: 32);
        byte[]? key = null;
        var (_, view) = Run(inputs, inspect: sessions =>
        {
            string victim = Names(inputs.Length)[Victim];
            var colluders = sessions.Skip(1).Take(4).Select(s => s.HeldShares(victim)!.Value).ToList();   // t = 4 of the 5 holders
            key = new ShamirSecretSharing().Combine(colluders.Select(c => new ShamirShare(c.Index, c.Key)).ToList(), 4, 32);
        });
        Assert.Equal(inputs[Victim], Estimate(view, key));
    }
}
