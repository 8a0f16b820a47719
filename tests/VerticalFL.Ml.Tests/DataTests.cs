using VerticalFL.Ml.Data;
using VerticalFL.Ml.Preprocessing;

namespace VerticalFL.Ml.Tests;

public sealed class DataTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vfl-ml-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string text)
    {
        string path = Path.Combine(_dir, $"{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Read_WithLabel_SplitsIdLabelAndFeatures()
    {
        var result = CsvDatasetReader.Read(Write("id,y,a,b\nu1,1,0.5,2\nu2,0,-1,\"3\"\n"), new CsvReadOptions { LabelColumn = "y" });
        var data = result.Dataset;
        Assert.Equal(["u1", "u2"], data.Ids);
        Assert.Equal(["a", "b"], data.FeatureNames);
        Assert.Equal([1.0, 0.0], data.Labels!);
        Assert.Equal(3.0, data[1, 1]);
        Assert.Equal(0, result.ImputedCells);
    }

    [Fact]
    public void Read_MissingCellsMeanPolicy_ImputesColumnMeanAndCounts()
    {
        var result = CsvDatasetReader.Read(Write("id,a,b\n1,2,\n2,,5\n3,4,7\n"));
        Assert.Equal(2, result.ImputedCells);
        Assert.Equal(3.0, result.Dataset[1, 0]);
        Assert.Equal(6.0, result.Dataset[0, 1]);
    }

    [Fact]
    public void Read_MissingCellErrorPolicy_NamesFileLineColumn()
    {
        string path = Write("id,a,b\n1,2,3\n2,,5\n");
        var e = Assert.Throws<BadInputException>(() => CsvDatasetReader.Read(path, new CsvReadOptions { MissingValues = MissingValuePolicy.Error }));
        Assert.StartsWith($"{path}:3: column 2 ('a')", e.Message);
    }

    [Fact]
    public void Read_NonNumericCell_NamesFileLineColumn()
    {
        string path = Write("id,a,b\n1,2,3\n2,4,abc\n");
        var e = Assert.Throws<BadInputException>(() => CsvDatasetReader.Read(path));
        Assert.Equal($"{path}:3: column 3 ('b'): 'abc' is not a number.", e.Message);
    }

    [Fact]
    public void Read_MissingLabelColumn_NamesIt()
    {
        string path = Write("id,a\n1,2\n");
        var e = Assert.Throws<BadInputException>(() => CsvDatasetReader.Read(path, new CsvReadOptions { LabelColumn = "label" }));
        Assert.Contains("'label'", e.Message);
    }

    [Fact]
    public void Fit_ThenTransform_GivesZeroMeanUnitVarianceAndConstantColumnZero()
    {
        double[] values = [1, 5, 3, 5, 5, 5];   // 3 rows × 2 columns, column 1 constant
        var scaler = StandardScaler.Fit(values, 2);
        var scaled = scaler.Transform(values);
        double std = Math.Sqrt(8.0 / 3);        // column 0: mean 3, deviations −2, 0, 2
        double[] expected = [-2 / std, 0, 0, 0, 2 / std, 0];
        for (int i = 0; i < 6; i++)
            Assert.Equal(expected[i], scaled[i], 12);
    }
}
