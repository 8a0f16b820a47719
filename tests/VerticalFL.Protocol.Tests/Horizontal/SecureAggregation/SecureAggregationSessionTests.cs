using Google.Protobuf;
using VerticalFL.Contracts.V1;
using VerticalFL.Protocol.Horizontal;
using static VerticalFL.Protocol.Tests.Horizontal.SecureAggregation.SecAggHarness;

namespace VerticalFL.Protocol.Tests.Horizontal.SecureAggregation;

/// <summary>Secure aggregation's correctness, dropouts and refusals at the session level (issue 18's proofs).</summary>
public sealed class SecureAggregationSessionTests
{
    [Fact]
    public void AllFiveFinish_TheArbiterGetsExactlyTheSumOfAllFive()
    {
        var inputs = RandomInputs(5, 1_000, seed: 1);
        var (sum, view) = Run(inputs);
        Assert.Equal(PlainSum(inputs), sum);
        Assert.Equal(4, view.Threshold);   // complete graph of 5: t = ⌈2/3 · 5⌉
    }

    [Fact]
    public void OneOfFiveDropsAfterSharingKeys_ExactSumOfTheFourSurvivors()
    {
        // client 3 shared its keys, so the others masked against it, but its masked input never came: the arbiter
        // reconstructs its mask key from 4 shares and removes its pairwise masks from the survivors' inputs.
        var inputs = RandomInputs(5, 1_000, seed: 2);
        var (sum, view) = Run(inputs, i => i == 2 ? Drop.BeforeMaskedInput : Drop.None);
        Assert.Equal(PlainSum(inputs.Where((_, i) => i != 2)), sum);
        Assert.Equal(4, view.MaskedInputs.Count);
        Assert.All(view.Responses.Values, r => Assert.Single(r.KeyShares));
    }

    [Fact]
    public void OneOfFiveDropsAfterSendingItsMaskedInput_ExactSumOfAllFive()
    {
        // client 5's masked input arrived, then it vanished before unmasking: its self-mask seed comes from the
        // other four's shares, and its input stays in the sum.
        var inputs = RandomInputs(5, 1_000, seed: 3);
        var (sum, view) = Run(inputs, i => i == 4 ? Drop.BeforeUnmask : Drop.None);
        Assert.Equal(PlainSum(inputs), sum);
        Assert.Equal(4, view.Responses.Count);
        Assert.All(view.Responses.Values, r => Assert.Empty(r.KeyShares));
    }

    [Fact]
    public void TwoOfFiveDropBeforeMaskedInput_MoreThanNMinusT_TheRoundFailsNamingTheThreshold()
    {
        var inputs = RandomInputs(5, 100, seed: 4);
        var error = Assert.Throws<HorizontalJobException>(() => Run(inputs, i => i is 0 or 3 ? Drop.BeforeMaskedInput : Drop.None));
        Assert.Contains("3 of 5 clients sent their masked input", error.Message);
        Assert.Contains("t = 4", error.Message);
        Assert.Contains("at most n − t = 1 may drop", error.Message);
    }

    [Fact]
    public void TwoOfFiveVanishBeforeUnmasking_TooFewSharesFailTheRoundCleanly()
    {
        var inputs = RandomInputs(5, 100, seed: 5);
        var error = Assert.Throws<HorizontalJobException>(() => Run(inputs, i => i is 1 or 2 ? Drop.BeforeUnmask : Drop.None));
        Assert.Contains("fewer than t = 4", error.Message);
        Assert.Contains("3 of 5 survivors answered", error.Message);
    }

    [Fact]
    public void SecAggPlus_TwentyClientsSparseGraph_TwoDropouts_ExactSumOfSurvivors()
    {
        var inputs = RandomInputs(20, 500, seed: 6);
        var (sum, view) = Run(inputs, i => i is 3 or 11 ? Drop.BeforeMaskedInput : Drop.None);
        Assert.Equal(PlainSum(inputs.Where((_, i) => i is not (3 or 11))), sum);
        Assert.All(view.Graph.Values, n => Assert.Equal(10, n.Length));   // k = 2⌈log₂ 20⌉ = 10, not 19
        Assert.Equal(8, view.Threshold);                                   // ⌈2/3 · 11⌉
    }

    [Fact]
    public void NeighbourGraph_FiftyClients_IsTwelveRegularAndSymmetric()
    {
        var names = Names(50);
        int k = NeighbourGraph.Degree(50, 0);
        Assert.Equal(12, k);
        var graph = NeighbourGraph.Build(names, k);
        foreach (var (u, neighbours) in graph)
        {
            Assert.Equal(12, neighbours.Distinct().Count());
            Assert.DoesNotContain(u, neighbours);
            Assert.All(neighbours, v => Assert.Contains(u, graph[v]));
        }
    }

    [Fact]
    public void FewerThanThreeClients_AreRefusedWithTheReason()
    {
        var error = Assert.Throws<HorizontalJobException>(() => Run(RandomInputs(2, 10, seed: 7)));
        Assert.Contains("at least 3", error.Message);
        Assert.Contains("each would learn the other's update", error.Message);
    }

    [Fact]
    public void KeyAdvertisementReSignedByTheArbiter_IsRefused()
    {
        var error = Assert.Throws<HorizontalJobException>(() => Run(RandomInputs(4, 10, seed: 8),
            relay: (to, m) => to == "client01" ? Tamper(m, "client02", p => Substitute(p, round: 1)) : m));
        Assert.Contains("client01 refuses", error.Message);
        Assert.Contains("client02's key advertisement does not verify against its registered Ed25519 key", error.Message);
    }

    [Fact]
    public void KeyAdvertisementAlteredInTransit_IsRefused()
    {
        var error = Assert.Throws<HorizontalJobException>(() => Run(RandomInputs(4, 10, seed: 9),
            relay: (to, m) => to == "client03" ? Tamper(m, "client04", p =>
            {
                var key = p.CipherPublicKey.ToByteArray();
                key[0] ^= 1;
                p.CipherPublicKey = ByteString.CopyFrom(key);
            }) : m));
        Assert.Contains("client04's key advertisement does not verify", error.Message);
    }

    [Fact]
    public void AdvertisementReplayedFromAnotherRound_IsRefused()
    {
        // A genuine signature from round 1 relayed in round 2: the signed bytes name the round.
        SecAggNeighbours? roundOne = null;
        Run(RandomInputs(3, 10, seed: 10), relay: (to, m) => { if (to == "client01") roundOne = m; return m; });
        var error = Assert.Throws<HorizontalJobException>(() => Run(RandomInputs(3, 10, seed: 11), round: 2,
            relay: (to, m) => to == "client01" ? Tamper(m, "client02", p =>
            {
                var old = roundOne!.Peers.First(q => q.Party == "client02");
                (p.CipherPublicKey, p.MaskPublicKey, p.Signature) = (old.CipherPublicKey, old.MaskPublicKey, old.Signature);
            }) : m));
        Assert.Contains("does not verify", error.Message);
    }

    [Fact]
    public void LoweredThresholdOrUnknownParty_AreRefused()
    {
        var low = Assert.Throws<HorizontalJobException>(() => Run(RandomInputs(5, 10, seed: 12),
            relay: (to, m) => { var c = m.Clone(); c.Threshold = 2; return c; }));
        Assert.Contains("not a majority", low.Message);
        var unknown = Assert.Throws<HorizontalJobException>(() => Run(RandomInputs(3, 10, seed: 13),
            relay: (to, m) => to == "client01" ? Tamper(m, "client02", p => p.Party = "mallory") : m));
        Assert.Contains("not a registered party", unknown.Message);
    }

    [Fact]
    public void AnUnmaskRequestNamingAClientBothSurvivorAndDropped_IsRefused()
    {
        var names = Names(3);
        var identities = SecureAggregationIdentity.ForInProcess(names);
        var sessions = names.Select(n => new SecAggClientSession(n, Job, 1, identities[n])).ToArray();
        var server = new SecAggServerSession(Job, 1, new SecureAggregationSettings { Enabled = true }, 4);
        var neighbours = server.Neighbours(names.Select((n, i) => (n, sessions[i].Advertise())).ToDictionary(x => x.n, x => x.Item2));
        var inbox = server.Route(names.Select((n, i) => (n, sessions[i].ShareKeys(neighbours[n]))).ToDictionary(x => x.n, x => x.Item2));
        sessions[0].ReceiveShares(inbox[names[0]]);
        var equivocation = new SecAggUnmaskRequest { Survivors = { names }, Dropped = { names[1] } };
        var error = Assert.Throws<HorizontalJobException>(() => sessions[0].Unmask(equivocation));
        Assert.Contains("both as survivor and as dropped", error.Message);
        var fine = new SecAggUnmaskRequest { Survivors = { names } };
        var again = Assert.Throws<HorizontalJobException>(() => sessions[0].Unmask(fine));
        Assert.Contains("asked twice", again.Message);
    }

    [Fact]
    public void TheArbitersView_EachMaskedInputLooksUniformAndDecodesToNothingLikeTheUpdate()
    {
        // Inputs are small (|x| < 1000, as quantised updates are); the arbiter holds only masked vectors. Each must
        // differ from its input almost everywhere, decode (as signed fixed point) to magnitudes near 2^63, and have
        // balanced bits (mean popcount 32 ± 0.5 over 4,000 words, σ of the mean is 0.05).
        var inputs = RandomInputs(5, 4_000, seed: 14);
        var (sum, view) = Run(inputs);
        Assert.Equal(PlainSum(inputs), sum);
        var names = Names(5);
        for (int c = 0; c < 5; c++)
        {
            var y = view.MaskedInputs[names[c]];
            Assert.True(y.Zip(inputs[c]).Count(p => p.First == p.Second) < 3);
            double meanBits = y.Average(w => (double)System.Numerics.BitOperations.PopCount(w));
            Assert.InRange(meanBits, 31.5, 32.5);
            double medianMagnitude = y.Select(w => Math.Abs((double)unchecked((long)w))).Order().ElementAt(y.Length / 2);
            Assert.True(medianMagnitude > 1e17, $"median |decoded| {medianMagnitude:E2} for inputs below 1000");
        }
        // Any proper subset of masked inputs sums to noise, not to the subset's inputs: only the full set unmasks.
        var partial = PlainSum(names.Take(4).Select(n => view.MaskedInputs[n]));
        Assert.True(partial.Zip(PlainSum(inputs.Take(4))).Count(p => p.First == p.Second) < 3);
    }
}
