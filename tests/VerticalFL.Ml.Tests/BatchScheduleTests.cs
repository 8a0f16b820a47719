using VerticalFL.Ml.Training;

namespace VerticalFL.Ml.Tests;

public class BatchScheduleTests
{
    [Fact]
    public void Epoch_MiniBatches_CoverEveryRowOnceWithBalancedSizes()
    {
        var schedule = new BatchSchedule(569, 240, seed: 7);
        var batches = schedule.Epoch(0);
        Assert.Equal(3, batches.Length);
        Assert.Equal(Enumerable.Range(0, 569), batches.SelectMany(b => b).Order());
        Assert.All(batches, b => Assert.InRange(b.Length, 189, 190));
        Assert.Equal(189, schedule.SmallestBatch);
    }

    [Fact]
    public void Epoch_SameSeed_SameBatchesInAnotherInstance()
    {
        var a = new BatchSchedule(100, 30, seed: 3).Epoch(4);
        var b = new BatchSchedule(100, 30, seed: 3).Epoch(4);
        Assert.Equal(a, b);
        Assert.NotEqual(a[0], new BatchSchedule(100, 30, seed: 3).Epoch(5)[0]);
        Assert.NotEqual(a[0], new BatchSchedule(100, 30, seed: 4).Epoch(4)[0]);
    }

    [Fact]
    public void Epoch_FixedBatches_SameMembersEveryEpochInANewOrder()
    {
        var schedule = new BatchSchedule(1000, 100, seed: 3, BatchShuffle.Batches);
        Assert.True(schedule.FixedMembership);
        var first = schedule.Epoch(0);
        var byId = schedule.Order(0).Zip(first).ToDictionary(p => p.First, p => p.Second);
        Assert.Equal(Enumerable.Range(0, 1000), first.SelectMany(b => b).Order());
        bool reordered = false;
        for (int epoch = 1; epoch < 4; epoch++)
        {
            var ids = schedule.Order(epoch);
            var batches = schedule.Epoch(epoch);
            Assert.Equal(Enumerable.Range(0, 10), ids.Order());
            for (int b = 0; b < ids.Length; b++)
                Assert.Equal(byId[ids[b]], batches[b]);
            reordered |= !ids.SequenceEqual(schedule.Order(0));
        }
        Assert.True(reordered);
        // Rows mode: the same rows never form the same batch twice (with overwhelming probability).
        var rows = new BatchSchedule(1000, 100, seed: 3);
        Assert.False(rows.FixedMembership);
        Assert.DoesNotContain(rows.Epoch(1), b => rows.Epoch(0).Any(a => a.Order().SequenceEqual(b.Order())));
    }

    [Fact]
    public void Epoch_FullBatch_IsAllRowsInOrder()
    {
        var batches = new BatchSchedule(10, -1, seed: 1).Epoch(2);
        Assert.Equal(Enumerable.Range(0, 10), Assert.Single(batches));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void Ctor_BadBatchSize_ThrowsNamingIt(int batchSize)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new BatchSchedule(10, batchSize, 1));
        Assert.Equal("batchSize", e.ParamName);
    }
}
