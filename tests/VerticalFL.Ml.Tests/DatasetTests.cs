using VerticalFL.Ml.Data;
using VerticalFL.Ml.Training;

namespace VerticalFL.Ml.Tests;

public class DatasetTests
{
    private static Dataset Table(string[] ids, double[] values, double[]? labels = null) =>
        new(ids, Enumerable.Range(0, values.Length / ids.Length).Select(c => $"c{c}").ToArray(), values, labels);

    [Fact]
    public void SelectRows_OtherOrder_ReordersValuesAndLabels()
    {
        var data = Table(["a", "b", "c"], [1, 2, 3, 4, 5, 6], [0, 1, 0]);
        var picked = data.SelectRows(["c", "a"]);
        Assert.Equal([5.0, 6, 1, 2], picked.Values.ToArray());
        Assert.Equal([0.0, 0], picked.Labels!);
    }

    [Fact]
    public void SelectRows_UnknownId_ThrowsNamingIt()
    {
        var e = Assert.Throws<BadInputException>(() => Table(["a"], [1]).SelectRows(["zz"]));
        Assert.Contains("'zz'", e.Message);
    }

    [Fact]
    public void JoinColumns_TwoParties_PutsColumnsSideBySide()
    {
        var joined = Dataset.JoinColumns([Table(["a", "b"], [1, 2], [1, 0]), Table(["a", "b"], [3, 4, 5, 6])]);
        Assert.Equal([1.0, 3, 4, 2, 5, 6], joined.Values.ToArray());
        Assert.Equal([1.0, 0], joined.Labels!);
    }

    [Fact]
    public void JoinColumns_DifferentIds_Throws()
    {
        Assert.Throws<ArgumentException>(() => Dataset.JoinColumns([Table(["a", "b"], [1, 2]), Table(["a", "x"], [3, 4])]));
    }

    [Fact]
    public void Ctor_ValuesNotRowsTimesColumns_ThrowsNamingValues()
    {
        var e = Assert.Throws<ArgumentException>(() => new Dataset(["a", "b"], ["x"], [1.0]));
        Assert.Equal("values", e.ParamName);
    }

    [Fact]
    public void Generate_SameSeed_SameDataWithBothClassesAndAlignedIds()
    {
        var (guest, hosts) = SyntheticData.Generate(500, 3, [4, 2], seed: 3);
        var (again, _) = SyntheticData.Generate(500, 3, [4, 2], seed: 3);
        Assert.Equal(guest.Values.ToArray(), again.Values.ToArray());
        Assert.Equal(2, hosts.Length);
        Assert.Equal(guest.Ids, hosts[1].Ids);
        Assert.Equal(4, hosts[0].Columns);
        Assert.Null(hosts[0].Labels);
        Assert.InRange(guest.Labels!.Average(), 0.2, 0.8);
    }
}

public class ConvergenceCheckTests
{
    [Fact]
    public void IsConverged_Diff_NeedsTwoLossesCloserThanTol()
    {
        var check = new ConvergenceCheck(EarlyStopKind.Diff, 0.01);
        Assert.False(check.IsConverged(0.5, 1));
        Assert.False(check.IsConverged(0.48, 1));
        Assert.True(check.IsConverged(0.475, 1));
    }

    [Fact]
    public void IsConverged_Abs_WhenLossBelowTol()
    {
        var check = new ConvergenceCheck(EarlyStopKind.Abs, 0.3);
        Assert.False(check.IsConverged(0.31, 0));
        Assert.True(check.IsConverged(0.29, 0));
    }

    [Fact]
    public void IsConverged_WeightDiff_IgnoresMissingLoss()
    {
        var check = new ConvergenceCheck(EarlyStopKind.WeightDiff, 1e-3);
        Assert.False(check.IsConverged(null, 0.01));
        Assert.True(check.IsConverged(null, 1e-4));
    }
}
