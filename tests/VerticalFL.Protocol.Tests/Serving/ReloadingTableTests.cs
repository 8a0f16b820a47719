using VerticalFL.Ml.Data;
using VerticalFL.Ml.Preprocessing;
using VerticalFL.Protocol.Serving;

namespace VerticalFL.Protocol.Tests.Serving;

public sealed class ReloadingTableTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("vfl-reload-").FullName;

    private string Path_ => Path.Combine(_directory, "host.csv");

    private static ScoreTable Load(string path) =>
        ScoreTable.Build(CsvDatasetReader.Read(path).Dataset, ["x"], StandardScaler.Identity(1), [2.0]);

    [Fact]
    public void ReloadIfChanged_FileReplaced_NewRowsServed_UnchangedFileNotReread()
    {
        Write(Path_, ("a", 1.0), ("b", 2.0));
        var table = new ReloadingTable(Path_, Load);
        Assert.False(table.ReloadIfChanged());
        ReplaceByRename(("a", 10.0), ("c", 3.0), ("d", 4.0));

        Assert.True(table.ReloadIfChanged());
        Assert.True(table.Current.TryGet("a", out double a));
        Assert.Equal(20.0, a);
        Assert.False(table.Current.TryGet("b", out _));
        Assert.Equal(3, table.Current.Count);
        Assert.False(table.ReloadIfChanged());
    }

    [Fact]
    public void ReloadIfChanged_BadFile_PreviousRowsKeepServing_AndTheErrorIsKept()
    {
        Write(Path_, ("a", 1.0));
        var table = new ReloadingTable(Path_, Load);
        File.WriteAllText(Path_, "id,x\na,not-a-number\n");
        Assert.False(table.ReloadIfChanged());
        Assert.NotNull(table.LastError);
        Assert.True(table.Current.TryGet("a", out double a));
        Assert.Equal(2.0, a);
    }

    [Fact]
    public void Build_DuplicateId_RefusedNamingTheRowNotTheId()
    {
        Write(Path_, ("secret-id", 1.0), ("secret-id", 2.0));
        var e = Assert.Throws<BadInputException>(() => Load(Path_));
        Assert.Contains("row 2", e.Message);
        Assert.DoesNotContain("secret-id", e.Message);
    }

    [Fact]
    public async Task Current_ReadDuringReloads_AlwaysAWholeTable()
    {
        const int rows = 2000;
        var small = Enumerable.Range(0, rows).Select(i => ($"id{i}", 1.0)).ToArray();
        var large = Enumerable.Range(0, rows * 2).Select(i => ($"id{i}", 2.0)).ToArray();
        Write(Path_, small);
        var table = new ReloadingTable(Path_, Load);
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(() =>
        {
            int reads = 0;
            while (!stop.IsCancellationRequested || reads == 0)
            {
                var current = table.Current;
                Assert.True(current.Count is rows or rows * 2, $"saw {current.Count} rows");
                Assert.True(current.TryGet($"id{rows - 1}", out double v));
                Assert.Equal(current.Count == rows ? 2.0 : 4.0, v);
                reads++;
            }
            return reads;
        });
        for (int round = 0; round < 6; round++)
        {
            ReplaceByRename(round % 2 == 0 ? large : small);
            Assert.True(table.ReloadIfChanged());
        }
        await stop.CancelAsync();
        Assert.True(await reader.WaitAsync(TimeSpan.FromMinutes(1)) > 0);
    }

    /// <summary>How an operator replaces a served file: write aside, rename over (the doc asks for this).</summary>
    private void ReplaceByRename(params (string Id, double X)[] rows)
    {
        string aside = Path_ + ".new";
        Write(aside, rows);
        // A distinct modification time even on coarse file systems.
        File.SetLastWriteTimeUtc(aside, File.GetLastWriteTimeUtc(Path_).AddSeconds(1));
        File.Move(aside, Path_, overwrite: true);
    }

    private static void Write(string path, params (string Id, double X)[] rows) =>
        File.WriteAllLines(path, ["id,x", .. rows.Select(r => $"{r.Id},{r.X.ToString(System.Globalization.CultureInfo.InvariantCulture)}")]);

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
