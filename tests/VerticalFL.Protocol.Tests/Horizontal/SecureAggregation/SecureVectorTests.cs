using VerticalFL.Contracts.V1;
using VerticalFL.Protocol.Horizontal;

namespace VerticalFL.Protocol.Tests.Horizontal.SecureAggregation;

/// <summary>Quantisation to Z_2^64: range, clipping and error as docs/protocol/horizontal.md states them.</summary>
public sealed class SecureVectorTests
{
    [Fact]
    public void RealsRoundTripWithinHalfAStep_CountsExactly_AndTheSumOfNClientsAtTheBoundDoesNotWrap()
    {
        var layout = SecureVectorLayout.For(parameters: 3, classes: 2, aucBins: 2);
        const int clients = 50, f = 24;
        double bound = SecureVectorLayout.Bound(clients) / Math.Pow(2, f);   // ≈ 1.1e10 for n = 50, f = 24
        Assert.InRange(bound, 1.0e10, 1.2e10);
        var update = new ClientUpdate { Weight = 600, StepWeight = 3000, TrainLossSum = 401.123456789, TrainRows = 600 };
        update.Contribution.AddRange([0.1234567891, -bound * 0.999, 3e-9]);
        update.Validation = new ValidationStats { Rows = 7, LossSum = 2.5, Correct = 5, PositiveBins = { 1, 2 }, NegativeBins = { 3, 1 } };
        var ring = layout.Quantise(layout.Compose(update), clients, f);
        Assert.Equal(0UL, ring[^1]);   // nothing clipped

        var sum = new ulong[ring.Length];
        for (int c = 0; c < clients; c++)
            for (int i = 0; i < ring.Length; i++)
                sum[i] += ring[i];
        var decoded = layout.Dequantise(sum, f);
        double step = Math.Pow(2, -f);
        Assert.Equal(clients * 0.1234567891, decoded[0], clients * step / 2);
        Assert.Equal(clients * -bound * 0.999, decoded[1], clients * step / 2 + 1e-6 * bound);   // no wrap: still hugely negative
        Assert.Equal(clients * 3e-9, decoded[2], clients * step / 2);
        var (contribution, trainLoss, validation, clipped) = layout.Decompose(decoded, clients);
        Assert.Equal(clients * 600.0, contribution.Weight);
        Assert.Equal(401.123456789 / 600, trainLoss, 1e-7);
        Assert.Equal(clients * 7, validation.Rows);
        Assert.Equal(5.0 / 7, validation.Accuracy, 12);
        Assert.Equal(0, clipped);
    }

    [Fact]
    public void ValuesBeyondTheBoundAndNaN_AreClippedAndCounted()
    {
        var layout = SecureVectorLayout.For(parameters: 3, classes: 3, aucBins: 10);
        var update = new ClientUpdate { Weight = 1, StepWeight = 1, TrainRows = 1 };
        update.Contribution.AddRange([1e300, double.NaN, -1e300]);
        var ring = layout.Quantise(layout.Compose(update), clients: 4, fractionalBits: 24);
        Assert.Equal(3UL, ring[^1]);
        Assert.Equal(SecureVectorLayout.Bound(4), unchecked((long)ring[0]));
        Assert.Equal(0L, unchecked((long)ring[1]));
        Assert.Equal(-SecureVectorLayout.Bound(4), unchecked((long)ring[2]));
    }
}
