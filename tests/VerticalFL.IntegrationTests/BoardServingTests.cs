using System.Net;
using VerticalFL.Ml.Data;
using VerticalFL.Party.Config;

namespace VerticalFL.IntegrationTests;

/// <summary>
/// Issue 16: the board is off by default and on loopback in every example config; a non-loopback board without a token
/// is refused at start with the setting named; <c>vfl board --store</c> serves a store alone.
/// </summary>
public sealed class BoardServingTests
{
    private static readonly string Deploy = Path.Combine(RepoRoot(), "deploy");

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "VerticalFL.sln"))) return dir.FullName;
        throw new InvalidOperationException("VerticalFL.sln not found above " + AppContext.BaseDirectory);
    }

    public static TheoryData<string> ExampleConfigs => new(
        new[] { "config", "compose", "local" }.SelectMany(d => Directory.GetFiles(Path.Combine(Deploy, d), "*.yaml"))
            .Where(f => !f.EndsWith("job.yaml", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Deploy, f)));

    [Theory]
    [MemberData(nameof(ExampleConfigs))]
    public void ExampleConfig_Board_IsOnLoopback(string relative)
    {
        var config = YamlFile.Read<PartyConfig>(Path.Combine(Deploy, relative));

        Assert.True(IPEndPoint.TryParse(config.Listen.Board, out var endpoint), $"{relative}: listen.board '{config.Listen.Board}'");
        Assert.True(IPAddress.IsLoopback(endpoint!.Address), $"{relative}: listen.board binds {endpoint.Address}, not loopback");
    }

    [Fact]
    public void Config_WithoutListenBoard_HasNoBoard() => Assert.Equal("", new PartyConfig().Listen.Board);

    [Fact]
    public void Config_NonLoopbackBoardWithoutToken_IsRefusedNamingTheSetting()
    {
        using var dir = new TempDir();
        string path = dir.Write("guest.yaml", "party: { id: bank, role: guest }\nlisten: { grpc: \"127.0.0.1:7001\", board: \"0.0.0.0:8080\" }\ninsecure_dev: true\n");

        var e = Assert.Throws<BadInputException>(() => PartyConfig.Load(path));

        Assert.Contains("guest.yaml: listen.board: 0.0.0.0:8080 is not a loopback address", e.Message);
        Assert.Contains("board.token_file", e.Message);
    }

    [Fact]
    public void Config_NonLoopbackBoardWithToken_Loads()
    {
        using var dir = new TempDir();
        dir.Write("board.token", "0123456789abcdef0123\n");
        string path = dir.Write("guest.yaml",
            "party: { id: bank, role: guest }\nlisten: { grpc: \"127.0.0.1:7001\", board: \"0.0.0.0:8080\" }\nboard: { token_file: board.token }\ninsecure_dev: true\n");

        var config = PartyConfig.Load(path);

        Assert.Equal(Path.Combine(dir.Path, "board.token"), config.Board.TokenFile);
    }

    [Fact]
    public async Task VflBoard_NonLoopbackWithoutToken_Exits2()
    {
        using var dir = new TempDir();

        var (code, _, error) = await Vfl.RunAsync(["board", "--store", $"sqlite:{Path.Combine(dir.Path, "s.db")}", "--listen", "0.0.0.0:0"]);

        Assert.Equal(2, code);
        Assert.Contains("--listen: 0.0.0.0:0 is not a loopback address", error);
    }

    [Fact]
    public async Task VflBoard_BadListen_Exits2NamingIt()
    {
        var (code, _, error) = await Vfl.RunAsync(["board", "--store", "sqlite:/tmp/never-opened.db", "--listen", "localhost:80"]);

        Assert.Equal(2, code);
        Assert.Contains("--listen: 'localhost:80' is not an IP:port", error);
    }

    [Fact]
    public async Task VflBoard_MissingSqliteStore_Exits2WithoutCreatingIt()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "typo.db");

        var (code, _, error) = await Vfl.RunAsync(["board", "--store", $"sqlite:{path}", "--listen", "127.0.0.1:0"]);

        Assert.Equal(2, code);
        Assert.Contains($"--store: there is no SQLite store at {path}", error);
        Assert.False(File.Exists(path));
    }

    private sealed class TempDir : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("vfl-board-config-").FullName;

        public string Write(string name, string text)
        {
            string file = System.IO.Path.Combine(Path, name);
            File.WriteAllText(file, text);
            return file;
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
