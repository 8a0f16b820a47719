using System.Numerics;
using VerticalFL.Ml.Optimization;
using VerticalFL.Ml.Training;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Training;

namespace VerticalFL.Protocol.Tests.Training;

/// <summary>
/// Issue 10, finding 1: a curious host records the exact gradient Σᵢ xᵢⱼ·4dᵢ of the first batch (the real trainers,
/// over the in-memory channel) and searches ±1 label vectors that satisfy its k equations exactly.
/// </summary>
[Trait("Category", "Attack")]
public class LabelLeakAttackTests
{
    private const int Batch = 32;

    private static readonly HeteroLrParameters Parameters = new()
    {
        Epochs = 1, BatchSize = Batch, Optimizer = OptimizerKind.Sgd, Penalty = PenaltyKind.None, Init = InitKind.Zeros, Seed = 3, Tol = 0,
    };

    /// <summary>The attack's sanity check: with the old public zero start the search finds exactly the true labels.</summary>
    [Fact]
    public async Task FirstBatchSearch_PublicZeroGuestStart_RecoversEveryLabel()
    {
        var (guest, hosts) = LrFederation.Data(2 * Batch, 2, [3]);
        var solutions = await SearchFirstBatchAsync(guest, hosts, secretGuestStart: false);
        Assert.Equal(string.Join(",", TrueSigns(guest)), string.Join(",", Assert.Single(solutions)));
    }

    /// <summary>With the guest's CSPRNG start the same search, on the same data and batch, finds no (or a wrong) answer.</summary>
    [Fact]
    public async Task FirstBatchSearch_SecretGuestStart_DoesNotFindTheLabels()
    {
        var (guest, hosts) = LrFederation.Data(2 * Batch, 2, [3]);
        var solutions = await SearchFirstBatchAsync(guest, hosts, secretGuestStart: true);
        Assert.DoesNotContain(string.Join(",", TrueSigns(guest)), solutions.Select(s => string.Join(",", s)));
    }

    /// <summary>Two runs with the same job (same seed) start the guest from different weights.</summary>
    [Fact]
    public async Task TrainAsync_SameSeedTwice_GuestStartsDiffer()
    {
        var (guest, hosts) = LrFederation.Data(2 * Batch, 2, [3]);
        var firsts = new List<BigInteger[]>();
        foreach (var _ in new[] { 1, 2 })
        {
            BigInteger[]? first = null;
            await LrFederation.RunAsync(Parameters, guest, hosts, secretGuestStart: true, hostGradientTap: (step, g) => first ??= g);
            firsts.Add(first!);
        }
        Assert.NotEqual(firsts[0], firsts[1]);
    }

    private static async Task<List<int[]>> SearchFirstBatchAsync(Ml.Data.Dataset guest, Ml.Data.Dataset[] hosts, bool secretGuestStart)
    {
        BigInteger[]? gradient = null;
        await LrFederation.RunAsync(Parameters, guest, hosts, secretGuestStart: secretGuestStart,
            hostGradientTap: (step, g) => { if (step == Step.Of(0, 0)) gradient = g; });

        // Everything below is what the host holds: its rows of the batch, its features, its own encrypted scores.
        var rows = new BatchSchedule(guest.Rows, Batch, Parameters.Seed).Epoch(0)[0];
        var (_, features, _) = PartyFeatures.Prepare(hosts[0], null, Parameters, interceptColumn: false);
        var x = features.Batch(rows);
        var own = Wire.FixedPoint(features.Scores(rows, WeightInit.Create(Parameters.Init, hosts[0].Columns, Parameters.Seed, 1)), Parameters.ValueBits);
        // 4dᵢ = own_i + g_i with the guest's part g_i = u_g,i − 2yᵢ; a public zero start makes g_i = −2yᵢ·2^v, so
        // Σᵢ xᵢⱼ·yᵢ = −(Gⱼ − Σᵢ xᵢⱼ·own_i) / 2^(v+1). With a secret start that is no integer; the host rounds it
        // (its best guess that the offset is small) and searches anyway.
        var scale = BigInteger.One << (Parameters.ValueBits + 1);
        var targets = new long[x.Columns];
        for (int j = 0; j < x.Columns; j++)
        {
            var guestPart = gradient![j] - Enumerable.Range(0, rows.Length).Aggregate(BigInteger.Zero, (s, i) => s + (BigInteger)x[i, j] * own[i]);
            targets[j] = (long)Math.Round(-(double)guestPart / (double)scale);
        }
        return SignSearch.Solve(x, targets);
    }

    private static int[] TrueSigns(Ml.Data.Dataset guest) =>
        new BatchSchedule(guest.Rows, Batch, Parameters.Seed).Epoch(0)[0].Select(r => (int)TaylorLogistic.Signed(guest.Labels![r])).ToArray();
}
