using System.Net;
using System.Text.RegularExpressions;
using VerticalFL.Party.Config;

namespace VerticalFL.IntegrationTests;

/// <summary>
/// Issue 10 finding 6 and 7 on the shipped examples: /metrics listens on loopback in every example config,
/// manifests publish no metrics port, and each party's container or secret gets only its own key and
/// ca.crt, never ca.key or another party's key.
/// </summary>
public sealed class DeployManifestTests
{
    private static readonly string Deploy = Path.Combine(RepoRoot(), "deploy");
    private static readonly string[] Parties = ["bank", "telecom", "arbiter"];

    public static TheoryData<string> PartyConfigs => new(
        Directory.GetFiles(Path.Combine(Deploy, "config"), "*.yaml").Where(f => !f.EndsWith("job.yaml", StringComparison.Ordinal))
            .Concat(Directory.GetFiles(Path.Combine(Deploy, "compose"), "*.yaml"))
            .Select(f => Path.GetRelativePath(Deploy, f)));

    [Theory]
    [MemberData(nameof(PartyConfigs))]
    public void ExampleConfig_Metrics_BindsToLoopback(string relative)
    {
        var config = YamlFile.Read<PartyConfig>(Path.Combine(Deploy, relative));
        Assert.False(string.IsNullOrEmpty(config.Listen.Metrics), $"{relative}: the examples show where metrics listen");
        Assert.True(IPEndPoint.TryParse(config.Listen.Metrics, out var endpoint), $"{relative}: listen.metrics '{config.Listen.Metrics}'");
        Assert.True(IPAddress.IsLoopback(endpoint!.Address), $"{relative}: listen.metrics binds {endpoint.Address}, not loopback");
    }

    [Fact]
    public void KubernetesManifests_PublishNoMetricsPortAndMountOnlyTheirOwnKey()
    {
        foreach (var party in Parties)
        {
            string text = File.ReadAllText(Path.Combine(Deploy, "k8s", party + ".yaml"));
            string manifest = string.Join('\n', text.Split('\n').Where(l => !l.TrimStart().StartsWith('#')));
            Assert.DoesNotContain("9100", manifest);
            Assert.DoesNotContain("ca.key", manifest);
            foreach (var other in Parties.Where(p => p != party))
                Assert.DoesNotContain($"{other}.key", text);
        }
    }

    [Fact]
    public void Compose_EachServiceMountsOnlyItsOwnKeyCertificateAndCaCertificate()
    {
        string compose = File.ReadAllText(Path.Combine(Deploy, "compose.yaml"));
        var mounts = Regex.Matches(compose, @"^\s*-\s*(\S*keys\S*)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(mounts);
        Assert.DoesNotContain(mounts, m => m.Contains("ca.key", StringComparison.Ordinal));
        Assert.DoesNotContain(mounts, m => m.TrimEnd(':', 'r', 'o').EndsWith("keys:/etc/vfl/keys", StringComparison.Ordinal));   // no whole keys directory
        foreach (var party in Parties)
        {
            var own = mounts.Where(m => m.StartsWith($"../keys/{party}/", StringComparison.Ordinal)).Select(m => m.Split(':')[1]).Order(StringComparer.Ordinal);
            Assert.Equal(new[] { "/etc/vfl/keys/ca.crt", $"/etc/vfl/keys/{party}.crt", $"/etc/vfl/keys/{party}.key" }.Order(StringComparer.Ordinal), own);
        }
        Assert.Equal(9, mounts.Count);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "VerticalFL.sln"))) return dir.FullName;
        throw new InvalidOperationException("VerticalFL.sln not found above " + AppContext.BaseDirectory);
    }
}
