using System.Text.Json;
using System.Text.RegularExpressions;
using VerticalFL.Transport.Metrics;
using YamlDotNet.RepresentationModel;

namespace VerticalFL.Transport.Tests;

/// <summary>
/// deploy/monitoring (alert rules, scrape config, Grafana dashboard) parses and names only metrics a
/// party exports: a renamed series would otherwise leave alerts silently matching nothing.
/// </summary>
public sealed partial class MonitoringFilesTests
{
    private static readonly string Monitoring = Path.Combine(RepoRoot(), "deploy", "monitoring");

    [Fact]
    public void AlertRules_CoverTheOperatorsFailureModes()
    {
        var rules = ReadYaml("alerts.yaml")["groups"][0]["rules"];
        var alerts = ((YamlSequenceNode)rules).Select(r => ((YamlScalarNode)r["alert"]).Value).ToList();

        Assert.Equal(["VflPartyDown", "VflJobsFailing", "VflEpochTimeRegression", "VflPsiStalled", "VflCertificateExpiring"], alerts);
        foreach (YamlMappingNode rule in (YamlSequenceNode)rules)
        {
            Assert.False(string.IsNullOrWhiteSpace(((YamlScalarNode)rule["expr"]).Value));
            Assert.True(((YamlMappingNode)rule["annotations"]).Children.ContainsKey("summary"));
        }
    }

    [Fact]
    public void ScrapeConfig_LoadsTheRulesAndScrapesJobVfl()
    {
        var config = ReadYaml("prometheus.yaml");
        Assert.Equal("alerts.yaml", ((YamlScalarNode)config["rule_files"][0]).Value);
        Assert.Equal("vfl", ((YamlScalarNode)config["scrape_configs"][0]["job_name"]).Value);
    }

    [Fact]
    public void Dashboard_EveryPanelHasAQuery()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(Monitoring, "grafana-dashboard.json")));
        var panels = dashboard.RootElement.GetProperty("panels").EnumerateArray().ToList();
        Assert.True(panels.Count >= 6, $"{panels.Count} panels");
        Assert.All(panels, p => Assert.NotEmpty(p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString())));
    }

    [Theory]
    [InlineData("alerts.yaml")]
    [InlineData("grafana-dashboard.json")]
    public void MonitoringFile_NamesOnlyExportedMetrics(string file)
    {
        var exported = ExportedSeries();
        var named = MetricName().Matches(File.ReadAllText(Path.Combine(Monitoring, file))).Select(m => m.Value).Distinct().ToList();

        Assert.NotEmpty(named);
        Assert.All(named, name => Assert.True(exported.Contains(name), $"{file} names {name}, which no party exports"));
    }

    /// <summary>Every series and family name (a histogram's too) a party's metrics render once each instrument has been used.</summary>
    private static HashSet<string> ExportedSeries()
    {
        var metrics = new TransportMetrics();
        metrics.CountMessage(Direction.Sent, "/m", "host", 1);
        metrics.RecordCall("client", "/m", "host", "OK", 0.01);
        metrics.SetJobProgress("j", 0.5);
        metrics.SetJobState("j", "guest", "psi", terminal: false);
        metrics.SetJobState("k", "guest", "failed", terminal: true);
        metrics.ObserveEpoch("guest", 1.5);
        metrics.SetCertificateExpiry(DateTimeOffset.UtcNow.AddDays(30));
        return SeriesLine().Matches(metrics.RenderPrometheus()).Select(m => m.Groups[1].Value).ToHashSet();
    }

    private static YamlNode ReadYaml(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Monitoring, file));
        stream.Load(reader);
        return stream.Documents[0].RootNode;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "VerticalFL.sln"))) return dir.FullName;
        throw new InvalidOperationException("VerticalFL.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\bvfl_[a-z0-9_]+")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"^(?:# TYPE )?(vfl_[a-z0-9_]+)(?:\{| )", RegexOptions.Multiline)]
    private static partial Regex SeriesLine();
}
