using System.Net;
using System.Text.RegularExpressions;
using VerticalFL.Party.Config;
using YamlDotNet.RepresentationModel;

namespace VerticalFL.IntegrationTests;

/// <summary>
/// Issue 10 finding 6 and 7 on the shipped examples: /metrics listens on loopback in every example config,
/// manifests publish no metrics port, and each party's container or secret gets only its own key and
/// ca.crt, never ca.key or another party's key. And the manifests agree with the party configs they carry
/// (deploy/compose/ID.yaml, read as the party reads it, so an unknown key fails): ports, peers' addresses,
/// key files, data and work directories are all where the config says.
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

    [Theory]
    [InlineData("bank")]
    [InlineData("telecom")]
    [InlineData("arbiter")]
    public void KubernetesManifest_AgreesWithThePartyConfig(string party)
    {
        var config = YamlFile.Read<PartyConfig>(Path.Combine(Deploy, "compose", party + ".yaml"));
        var (service, deployment) = Manifest(party);
        int port = Port(config.Listen.Grpc);
        var pod = deployment["spec"]["template"]["spec"];
        var container = Seq(pod["containers"])[0];

        Assert.Equal(party, Scalar(service["metadata"]["name"]));
        Assert.Equal(port.ToString(), Scalar(Seq(service["spec"]["ports"])[0]["port"]));
        Assert.Equal(port.ToString(), Scalar(Seq(service["spec"]["ports"])[0]["targetPort"]));
        Assert.Equal(port.ToString(), Scalar(Seq(container["ports"])[0]["containerPort"]));

        var mounts = Seq(container["volumeMounts"]).ToDictionary(m => Scalar(m["mountPath"]), m => Scalar(m["name"]));
        var volumes = Seq(pod["volumes"]).ToDictionary(v => Scalar(v["name"]), v => (YamlMappingNode)v);
        string configPath = Seq(container["args"]).Select(Scalar).SkipWhile(a => a != "--config").ElementAt(1);
        Assert.Equal($"vfl-{party}-config", Scalar(volumes[mounts[configPath]]["configMap"]["name"]));
        Assert.Equal($"vfl-{party}-keys", Scalar(volumes[MountHolding(mounts, config.Tls!.Key)]["secret"]["secretName"]));
        Assert.Equal(MountHolding(mounts, config.Tls.Key), MountHolding(mounts, config.Tls.Certificate));
        Assert.Equal(MountHolding(mounts, config.Tls.Key), MountHolding(mounts, config.Tls.Ca));
        Assert.Equal(config.WorkDir, mounts.Single(m => m.Value == "work").Key);
        foreach (var data in config.Data.Values)
            MountHolding(mounts, data);

        foreach (var peer in config.Peers)
        {
            var address = new Uri(peer.Address);
            var (peerService, _) = Manifest(peer.Id);
            Assert.Equal(Scalar(peerService["metadata"]["name"]), address.Host);
            Assert.Equal(address.Port.ToString(), Scalar(Seq(peerService["spec"]["ports"])[0]["port"]));
        }
    }

    [Theory]
    [InlineData("bank")]
    [InlineData("telecom")]
    [InlineData("arbiter")]
    public void Compose_ServiceAgreesWithThePartyConfig(string party)
    {
        var config = YamlFile.Read<PartyConfig>(Path.Combine(Deploy, "compose", party + ".yaml"));
        var services = (YamlMappingNode)ReadYaml(Path.Combine(Deploy, "compose.yaml"))[0]["services"];
        var service = services[party];
        var mounts = Seq(service["volumes"]).Select(Scalar).Select(v => v.Split(':')).ToDictionary(v => v[1], v => v[0]);

        Assert.Equal($"./compose/{party}.yaml", mounts["/etc/vfl/party.yaml"]);
        foreach (var file in new[] { config.Tls!.Certificate, config.Tls.Key, config.Tls.Ca })
            Assert.True(mounts.ContainsKey(file), $"{party}: {file} is not mounted");
        foreach (var data in config.Data.Values)
            Assert.Contains(mounts.Keys, target => data.StartsWith(target + "/", StringComparison.Ordinal));
        foreach (var peer in config.Peers)
            Assert.True(services.Children.ContainsKey(new Uri(peer.Address).Host), $"{party}: peer {peer.Id} at {peer.Address} is no compose service");
        if (config.Store.Contains("${VFL_DB_PASSWORD}", StringComparison.Ordinal))
            Assert.Contains("VFL_DB_PASSWORD", Scalar(service["environment"]["VFL_DB_PASSWORD"]));
        if (service is YamlMappingNode { Children: var keys } && keys.ContainsKey("ports"))
            Assert.Equal($"{Port(config.Listen.Grpc)}:{Port(config.Listen.Grpc)}", Scalar(Seq(service["ports"])[0]));
    }

    /// <summary>The name of the volume mounted at the directory holding <paramref name="path"/>.</summary>
    private static string MountHolding(Dictionary<string, string> mounts, string path)
    {
        var holder = mounts.Keys.Where(m => path.StartsWith(m + "/", StringComparison.Ordinal)).MaxBy(m => m.Length);
        Assert.True(holder is not null, $"{path} lies under no volume mount ({string.Join(", ", mounts.Keys)})");
        return mounts[holder!];
    }

    private static (YamlMappingNode Service, YamlMappingNode Deployment) Manifest(string party)
    {
        var documents = ReadYaml(Path.Combine(Deploy, "k8s", party + ".yaml")).Cast<YamlMappingNode>().ToList();
        return (documents.Single(d => Scalar(d["kind"]) == "Service"), documents.Single(d => Scalar(d["kind"]) == "Deployment"));
    }

    private static List<YamlNode> ReadYaml(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return stream.Documents.Select(d => d.RootNode).ToList();
    }

    private static int Port(string endpoint) => IPEndPoint.Parse(endpoint).Port;

    private static string Scalar(YamlNode node) => ((YamlScalarNode)node).Value!;

    private static List<YamlNode> Seq(YamlNode node) => ((YamlSequenceNode)node).Children.ToList();

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "VerticalFL.sln"))) return dir.FullName;
        throw new InvalidOperationException("VerticalFL.sln not found above " + AppContext.BaseDirectory);
    }
}
