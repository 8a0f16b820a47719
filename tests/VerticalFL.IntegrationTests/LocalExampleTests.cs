using VerticalFL.Cli.Local;

namespace VerticalFL.IntegrationTests;

/// <summary>
/// Issue 14, finding 5: the loopback federation under deploy/local runs as docs/operations.md walks through it, with
/// exactly those files (copied to a scratch directory so keys, data and stores never land in the repository).
/// </summary>
public sealed class LocalExampleTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("vfl-local-").FullName;

    [Fact]
    public async Task DeployLocal_WalkThrough_KeysDataThreePartiesAndAJobSucceed()
    {
        foreach (var file in new[] { "bank.yaml", "telecom.yaml", "arbiter.yaml", "job.yaml" })
            File.Copy(Path.Combine(RepoRoot(), "deploy", "local", file), Path.Combine(_directory, file));
        string At(string name) => Path.Combine(_directory, name);

        Assert.Equal(0, (await OperatingFixture.CliAsync("keys", "init", "--out", At("keys"), "--parties", "bank:guest,telecom:host,arbiter:arbiter")).Code);
        Assert.Equal(0, (await OperatingFixture.CliAsync("datagen", "--out", At("data"), "--rows", "2000")).Code);
        var parties = new[] { "bank", "telecom", "arbiter" }.Select(p => PartyProcess.Start(p, At($"{p}.yaml"), At($"{p}.log"))).ToList();
        try
        {
            foreach (var party in parties)
                await LocalFederation.WaitHealthyAsync(At($"{party.PartyId}.yaml"), party, DateTime.UtcNow.AddSeconds(60), CancellationToken.None);
            var peers = await OperatingFixture.CliAsync("health", "--peers", "--config", At("bank.yaml"));
            Assert.True(peers.Code == 0, peers.Output + peers.Error);

            var (code, output, error) = await OperatingFixture.CliAsync("job", "submit", "--config", At("bank.yaml"), At("job.yaml"), "--wait");

            Assert.True(code == 0, $"exit {code}: {error}\n{output}\n{LocalFederation.Tail(At("bank.log"))}");
            Assert.Contains(": succeeded", output);
            var hostList = await OperatingFixture.CliAsync("job", "list", "--config", At("telecom.yaml"));
            Assert.Contains("succeeded", hostList.Output);
            Assert.True(File.Exists(At("work/telecom/vfl.db")) && File.Exists(At("work/arbiter/vfl.db")), "each party keeps its own store");
        }
        finally
        {
            Parallel.ForEach(parties, p => p.Dispose());
        }
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "VerticalFL.sln")))
                return dir.FullName;
        throw new InvalidOperationException("the repository root (VerticalFL.sln) was not found above the test's directory");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
