using VerticalFL.Cli.Data;
using VerticalFL.Cli.Local;
using VerticalFL.Ml.Data;

namespace VerticalFL.IntegrationTests;

/// <summary>`vfl psi` and `vfl run` with each party in its own process over mTLS gRPC, and their exit codes.</summary>
public sealed class PsiCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("vfl-psi-it-").FullName;

    [Fact]
    public async Task RunAsync_TwoProcesses_WritesBothFilesAlignedAndSortedById()
    {
        var files = new SyntheticFederation { Rows = 300, Overlap = 0.5, Seed = 3 }.WriteTo(Path.Combine(_directory, "data"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        var result = await FederatedPsi.RunAsync(files.GuestPath, files.HostPaths[0], "id", keepFirst: false, Path.Combine(_directory, "out"), timeout.Token);

        Assert.Equal(files.SharedCustomers, result.Intersection);
        var leftIds = File.ReadLines(result.LeftPath).Skip(1).Select(l => l.Split(',')[0]).ToList();
        var rightIds = File.ReadLines(result.RightPath).Skip(1).Select(l => l.Split(',')[0]).ToList();
        Assert.Equal(leftIds, rightIds);
        Assert.Equal(leftIds.Order(StringComparer.Ordinal), leftIds);
        // Independent check: the plain intersection of the two files' id columns.
        var expected = File.ReadLines(files.GuestPath).Skip(1).Select(l => l.Split(',')[0])
            .Intersect(File.ReadLines(files.HostPaths[0]).Skip(1).Select(l => l.Split(',')[0])).Order(StringComparer.Ordinal);
        Assert.Equal(expected, leftIds);
        Assert.StartsWith("id,y,", File.ReadLines(result.LeftPath).First());
    }

    [Fact]
    public async Task RunAsync_DuplicateIdOnTheLeft_IsBadInputAndWritesNothing()
    {
        string left = Write("left.csv", "id,x\nalice,1\nbob,2\nalice,3\n");
        string right = Write("right.csv", "id,z\nalice,1\nbob,2\n");
        string output = Path.Combine(_directory, "out");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        var error = await Assert.ThrowsAsync<BadInputException>(() => FederatedPsi.RunAsync(left, right, "id", false, output, timeout.Token));

        Assert.Contains($"{left}:4:", error.Message);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task BenchPsi_RuntimeWithoutAvx512_FallsBackToLibsodiumAndRefusesTheAvx512Engine()
    {
        // DOTNET_EnableAVX512=0 makes the runtime report no AVX-512, as on a CPU without it.
        var (code, output, _) = await RunCliAsync(["bench", "psi", "--rows", "300", "--json"], noAvx512: true);
        Assert.Equal(0, code);
        Assert.Contains("\"engine\":\"libsodium\"", output);
        Assert.Contains("\"intersection\":150,", output);

        var (refused, _, error) = await RunCliAsync(["bench", "psi", "--rows", "300", "--engine", "avx512"], noAvx512: true);
        Assert.Equal(2, refused);
        Assert.Contains("--engine avx512: this CPU (or runtime setting) has no AVX-512", error);
    }

    [Fact]
    public async Task VflRun_GuestLabelNotZeroOrOne_ExitsTwoNamingTheFileLikeAnyBadInput()
    {
        var files = new SyntheticFederation { Rows = 120, Overlap = 1.0, Seed = 8 }.WriteTo(Path.Combine(_directory, "data"));
        var lines = File.ReadAllLines(files.GuestPath);
        var cells = lines[7].Split(',');
        cells[1] = "2";   // the label column: neither 0 nor 1
        lines[7] = string.Join(',', cells);
        File.WriteAllLines(files.GuestPath, lines);

        var (code, _, error) = await RunCliAsync(["run", "--guest-data", files.GuestPath, "--host-data", files.HostPaths[0],
            "--work-dir", Path.Combine(_directory, "run"), "--epochs", "1", "--allow-small-batches"], noAvx512: false);

        Assert.Equal(2, code);
        Assert.Contains($"{files.GuestPath}:8:", error);
        Assert.Contains("is not 0 or 1", error);
    }

    [Fact]
    public async Task VflRun_HostCellNotANumber_ExitsTwoWithTheHostsDataErrorReference()
    {
        var files = new SyntheticFederation { Rows = 120, Overlap = 1.0, Seed = 9 }.WriteTo(Path.Combine(_directory, "data"));
        var lines = File.ReadAllLines(files.HostPaths[0]);
        var cells = lines[5].Split(',');
        cells[1] = "twelve";
        lines[5] = string.Join(',', cells);
        File.WriteAllLines(files.HostPaths[0], lines);

        var (code, _, error) = await RunCliAsync(["run", "--guest-data", files.GuestPath, "--host-data", files.HostPaths[0],
            "--work-dir", Path.Combine(_directory, "run"), "--epochs", "1", "--allow-small-batches"], noAvx512: false);

        Assert.Equal(2, code);
        Assert.Contains("data error at", error);
    }

    private static async Task<(int Code, string Output, string Error)> RunCliAsync(string[] arguments, bool noAvx512)
    {
        var start = PartyProcess.SelfCommand(arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        if (noAvx512)
            start.Environment["DOTNET_EnableAVX512"] = "0";
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);
        return (process.ExitCode, await output, await error);
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
