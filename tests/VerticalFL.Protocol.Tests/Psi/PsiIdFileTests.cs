using System.Text;
using VerticalFL.Ml.Data;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Psi;

namespace VerticalFL.Protocol.Tests.Psi;

public sealed class PsiIdFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vfl-psi-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Read_ValidFile_ReturnsIdsInFileOrder()
    {
        var path = Write("a.csv", "name,id,x\nann,7,1\n\"bo, b\",3,2\ncy,\"q\"\"uoted\",3\n");
        var file = PsiIdFile.Read(path);
        Assert.Equal(["7", "3", "q\"uoted"], file.Ids);
    }

    [Fact]
    public void Read_IdsWithSpacesAndCase_KeptExactly()
    {
        var path = Write("a.csv", "id\nabc\nABC\nabc \n abc\n");
        Assert.Equal(["abc", "ABC", "abc ", " abc"], PsiIdFile.Read(path).Ids);
    }

    [Fact]
    public void Read_Utf8Bom_IsNotPartOfTheFirstColumnName()
    {
        var path = Path.Combine(_dir, "bom.csv");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "id,v\nk1,1\n"u8]);
        Assert.Equal(["k1"], PsiIdFile.Read(path).Ids);
    }

    [Fact]
    public void Read_DuplicateId_ThrowsNamingFileAndLine()
    {
        var path = Write("dup.csv", "id,v\na,1\nb,2\na,3\n");
        var e = Assert.Throws<BadInputException>(() => PsiIdFile.Read(path));
        Assert.StartsWith($"{path}:4: duplicate id (first on line 2)", e.Message);
    }

    [Fact]
    public void Read_DuplicateIdWithKeepFirst_KeepsTheFirstRow()
    {
        var path = Write("dup.csv", "id,v\na,1\nb,2\na,3\n");
        var file = PsiIdFile.Read(path, duplicates: DuplicateIdPolicy.KeepFirst);
        Assert.Equal(["a", "b"], file.Ids);
    }

    [Fact]
    public void Read_EmptyId_ThrowsNamingTheLine()
    {
        var path = Write("e.csv", "v,id\n1,a\n2,\n");
        var e = Assert.Throws<BadInputException>(() => PsiIdFile.Read(path));
        Assert.Equal($"{path}:3: empty id.", e.Message);
    }

    [Fact]
    public void Read_IdOf256Utf8Bytes_IsAcceptedAnd257IsRefused()
    {
        string ok = new('é', 128);           // 2 bytes each: 256
        string tooLong = ok + "x";           // 257
        var path = Write("long.csv", $"id\n{ok}\n{tooLong}\n");
        var e = Assert.Throws<BadInputException>(() => PsiIdFile.Read(path));
        Assert.Equal($"{path}:3: id is 257 bytes of UTF-8; the limit is 256.", e.Message);
    }

    [Fact]
    public void Read_InvalidUtf8_ThrowsNamingTheLine()
    {
        var path = Path.Combine(_dir, "bad.csv");
        File.WriteAllBytes(path, [.. "id,v\na,1\nb,"u8, 0xC3, 0x28, .. "\nc,3\n"u8]);
        var e = Assert.Throws<BadInputException>(() => PsiIdFile.Read(path));
        Assert.Equal($"{path}:3: invalid UTF-8.", e.Message);
    }

    [Fact]
    public void Read_MissingIdColumn_ThrowsOnLineOneListingColumns()
    {
        var path = Write("m.csv", "key,v\na,1\n");
        var e = Assert.Throws<BadInputException>(() => PsiIdFile.Read(path, "id"));
        Assert.Equal($"{path}:1: no column 'id' in the header (columns: key, v).", e.Message);
    }

    [Fact]
    public void Read_RowWithoutTheIdField_ThrowsNamingTheLine()
    {
        var path = Write("short.csv", "v,id\n1,a\n2\n");
        var e = Assert.Throws<BadInputException>(() => PsiIdFile.Read(path));
        Assert.StartsWith($"{path}:3: the row has 1 fields", e.Message);
    }

    [Fact]
    public void Read_EmptyFile_Throws()
    {
        var path = Write("empty.csv", "");
        var e = Assert.Throws<BadInputException>(() => PsiIdFile.Read(path));
        Assert.StartsWith($"{path}:1: the file is empty", e.Message);
    }

    [Fact]
    public void Read_HeaderOnly_Throws()
    {
        var path = Write("header.csv", "id,v\n");
        var e = Assert.Throws<BadInputException>(() => PsiIdFile.Read(path));
        Assert.StartsWith($"{path}:2: the file has a header but no rows", e.Message);
    }

    [Fact]
    public void Read_MultiLineQuotedField_LinesCountPhysicalLines()
    {
        var path = Write("ml.csv", "id,note\na,\"two\nlines\"\na,x\n");
        var e = Assert.Throws<BadInputException>(() => PsiIdFile.Read(path));
        Assert.StartsWith($"{path}:4: duplicate id (first on line 2)", e.Message);
    }

    [Fact]
    public void Read_MissingFile_ThrowsBadInput()
    {
        var path = Path.Combine(_dir, "nope.csv");
        var e = Assert.Throws<BadInputException>(() => PsiIdFile.Read(path));
        Assert.StartsWith(path, e.Message);
    }

    [Fact]
    public async Task WriteAligned_AfterPsi_BothFilesHaveHeaderAndSharedRowsSortedById()
    {
        var left = PsiIdFile.Read(Write("left.csv", "id,age\r\nzed,40\r\nbob,30\r\namy,20\r\nnot-shared,1\r\n"));
        var right = PsiIdFile.Read(Write("right.csv", "plan,id\nB,bob\n\"x,\ny\",amy\nC,zed\nD,other\n"));
        var (l, r) = await RunPairAsync(left.Ids, right.Ids);

        PsiIdFile.WriteAligned([(left, l, Path.Combine(_dir, "out", "left.csv")), (right, r, Path.Combine(_dir, "out", "right.csv"))]);

        Assert.Equal("id,age\namy,20\nbob,30\nzed,40\n", File.ReadAllText(Path.Combine(_dir, "out", "left.csv")));
        Assert.Equal("plan,id\n\"x,\ny\",amy\nB,bob\nC,zed\n", File.ReadAllText(Path.Combine(_dir, "out", "right.csv")));
        Assert.Equal(["left.csv", "right.csv"], Directory.GetFiles(Path.Combine(_dir, "out")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task WriteAligned_KeepFirst_WritesTheFirstRowOfARepeatedId()
    {
        var left = PsiIdFile.Read(Write("l.csv", "id,v\na,first\nb,x\na,second\n"), duplicates: DuplicateIdPolicy.KeepFirst);
        var right = PsiIdFile.Read(Write("r.csv", "id\na\n"));
        var (l, _) = await RunPairAsync(left.Ids, right.Ids);
        var output = Path.Combine(_dir, "l-out.csv");

        left.WriteAligned(l, output);

        Assert.Equal("id,v\na,first\n", File.ReadAllText(output));
    }

    [Fact]
    public async Task WriteAligned_EmptyIntersection_FailsAndWritesNothing()
    {
        var left = PsiIdFile.Read(Write("l.csv", "id\na\n"));
        var right = PsiIdFile.Read(Write("r.csv", "id\nb\n"));
        var (l, r) = await RunPairAsync(left.Ids, right.Ids);
        var outDir = Path.Combine(_dir, "out");

        var e = Assert.Throws<PsiFailedException>(() =>
            PsiIdFile.WriteAligned([(left, l, Path.Combine(outDir, "left.csv")), (right, r, Path.Combine(outDir, "right.csv"))]));

        Assert.Contains("empty", e.Message);
        Assert.False(Directory.Exists(outDir));
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    private static async Task<(PsiResult, PsiResult)> RunPairAsync(IReadOnlyList<string> guestIds, IReadOnlyList<string> hostIds)
    {
        var federation = new InMemoryFederation(["guest", "host"], TimeSpan.FromSeconds(10));
        var guest = new PsiGuest(federation.Channel("guest", "job"), ["host"]).RunAsync(guestIds);
        var host = new PsiHost(federation.Channel("host", "job"), "guest").RunAsync(hostIds);
        var bound = TimeSpan.FromSeconds(30);
        return (await guest.WaitAsync(bound), await host.WaitAsync(bound));
    }
}
