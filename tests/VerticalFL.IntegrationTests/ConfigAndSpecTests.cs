using VerticalFL.Ml.Data;
using VerticalFL.Party.Config;
using VerticalFL.Party.Jobs;

namespace VerticalFL.IntegrationTests;

/// <summary>Party configs and job specs: bad input is refused with the file, line and column or the setting's name.</summary>
public sealed class ConfigAndSpecTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("vfl-config-").FullName;

    [Fact]
    public void PartyConfigLoad_YamlSyntaxError_NamesFileLineAndColumn()
    {
        string path = Write("party.yaml", "party:\n  id: bank\n  role: [guest\nlisten: {}\n");
        var error = Assert.Throws<BadInputException>(() => PartyConfig.Load(path));
        Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(path)}:\d+:\d+: ", error.Message);
    }

    [Fact]
    public void PartyConfigLoad_UnknownRole_NamesTheSetting()
    {
        string path = Write("party.yaml", "party: { id: bank, role: banker }\nlisten: { grpc: \"127.0.0.1:1\" }\ninsecure_dev: true\n");
        var error = Assert.Throws<BadInputException>(() => PartyConfig.Load(path));
        Assert.Contains("party.role", error.Message);
        Assert.Contains("banker", error.Message);
    }

    [Fact]
    public void PartyConfigLoad_RelativePathsAndEnvironmentPassword_AreResolved()
    {
        Environment.SetEnvironmentVariable("VFL_TEST_SECRET_PASSWORD", "s3cret");
        string path = Write("party.yaml", """
            party: { id: bank, role: guest }
            listen: { grpc: "127.0.0.1:7001" }
            tls: { certificate: keys/bank.crt, key: keys/bank.key, ca: keys/ca.crt }
            data: { customers: data/guest.csv }
            store: "mysql:Server=db;Password=${VFL_TEST_SECRET_PASSWORD}"
            """);
        var config = PartyConfig.Load(path);
        Assert.Equal(Path.Combine(_directory, "keys", "bank.key"), config.Tls!.Key);
        Assert.Equal(Path.Combine(_directory, "data", "guest.csv"), config.DataPath("customers"));
        Assert.Equal("mysql:Server=db;Password=s3cret", config.Store);
        Assert.Equal(Path.Combine(_directory, ".vfl", "bank"), config.WorkDir);
    }

    [Fact]
    public void PartyConfigLoad_ExampleHostConfig_ReadsItsPolicy()
    {
        string example = Path.Combine(RepoRoot(), "deploy", "config", "host.yaml");
        var config = PartyConfig.Load(example);
        Assert.Equal((10.0, 50, 20, false, 3600), (config.Policy.MaxGuestSetRatio, config.Policy.MaxPsiJobsPerGuestPerDay,
            config.Policy.MaxPredictJobsPerGuestPerDay, config.Policy.RequireApproval, config.Policy.ApprovalTimeoutSeconds));
        string path = Write("host.yaml", "party: { id: telecom, role: host }\nlisten: { grpc: \"127.0.0.1:1\" }\ninsecure_dev: true\n"
            + "policy: { max_guest_set_ratio: 2.5, require_approval: true }\n");
        var custom = PartyConfig.Load(path).Policy;
        Assert.Equal((2.5, true, 50), (custom.MaxGuestSetRatio, custom.RequireApproval, custom.MaxPsiJobsPerGuestPerDay));
    }

    [Fact]
    public void PartyConfigLoad_WatchdogSeconds_DefaultsToTenMinutesAndRefusesLessThanFive()
    {
        const string Base = "party: { id: telecom, role: host }\nlisten: { grpc: \"127.0.0.1:1\" }\ninsecure_dev: true\n";
        Assert.Equal(600, PartyConfig.Load(Write("default.yaml", Base)).WatchdogSeconds);
        Assert.Equal(30, PartyConfig.Load(Write("thirty.yaml", Base + "watchdog_seconds: 30\n")).WatchdogSeconds);

        string path = Write("short.yaml", Base + "watchdog_seconds: 2\n");
        var error = Assert.Throws<BadInputException>(() => PartyConfig.Load(path));
        Assert.StartsWith($"{path}: watchdog_seconds must be at least 5", error.Message);
    }

    [Theory]
    [InlineData("max_guest_set_ratio: 0", "policy.max_guest_set_ratio")]
    [InlineData("max_predict_jobs_per_guest_per_day: -1", "policy.max_predict_jobs_per_guest_per_day")]
    [InlineData("approval_timeout_seconds: 0", "policy.approval_timeout_seconds")]
    public void PartyConfigLoad_BadPolicyValue_NamesTheKey(string line, string key)
    {
        string path = Write("host.yaml", $"party: {{ id: telecom, role: host }}\nlisten: {{ grpc: \"127.0.0.1:1\" }}\ninsecure_dev: true\npolicy:\n  {line}\n");
        var error = Assert.Throws<BadInputException>(() => PartyConfig.Load(path));
        Assert.StartsWith($"{path}: {key} must be", error.Message);
    }

    private static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "VerticalFL.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("VerticalFL.sln not found above the test binaries.");
    }

    [Fact]
    public void PartyConfigLoad_MissingEnvironmentVariable_NamesItWithoutAValue()
    {
        string path = Write("party.yaml", """
            party: { id: bank, role: guest }
            listen: { grpc: "127.0.0.1:7001" }
            insecure_dev: true
            store: "mysql:Server=db;Password=${VFL_TEST_UNSET_VARIABLE_X}"
            """);
        var error = Assert.Throws<BadInputException>(() => PartyConfig.Load(path));
        Assert.Contains("VFL_TEST_UNSET_VARIABLE_X", error.Message);
    }

    [Fact]
    public void JobSpecParse_BadDuplicatePolicy_NamesTheSetting()
    {
        var error = Assert.Throws<BadInputException>(() => JobSpec.ParseYaml(Spec("psi: { id_column: id, duplicates: merge }"), "job.yaml"));
        Assert.Contains("psi.duplicates", error.Message);
        Assert.Contains("merge", error.Message);
    }

    [Fact]
    public void JobSpecParse_UnknownKey_NamesLineAndColumn()
    {
        var error = Assert.Throws<BadInputException>(() => JobSpec.ParseYaml(Spec("psi: { id_colum: id }"), "job.yaml"));
        Assert.StartsWith("job.yaml:", error.Message);
        Assert.Contains("id_colum", error.Message);
    }

    [Theory]
    [InlineData("optimizer: adamw", "optimizer")]
    [InlineData("learning_rate: -1", "learning_rate")]
    [InlineData("batch_size: 0", "batch_size")]
    [InlineData("no_such_parameter: 3", "no_such_parameter")]
    public void JobParametersTraining_BadParameter_IsNamed(string line, string name)
    {
        var spec = JobSpec.ParseYaml(Spec($"training:\n  {line}"), "job.yaml");
        var error = Assert.Throws<BadInputException>(() => JobParameters.Training(spec));
        Assert.Contains(name, error.Message);
    }

    [Fact]
    public void JobParametersTraining_YamlScalars_BecomeTypedParameters()
    {
        var spec = JobSpec.ParseYaml(Spec("training:\n  epochs: 7\n  learning_rate: 0.05\n  optimizer: adam\n  fit_intercept: false"), "job.yaml");
        var parameters = JobParameters.Training(spec);
        Assert.Equal(7, parameters.Epochs);
        Assert.Equal(0.05, parameters.LearningRate);
        Assert.Equal(VerticalFL.Ml.Optimization.OptimizerKind.Adam, parameters.Optimizer);
        Assert.False(parameters.FitIntercept);
    }

    private static string Spec(string extra) => $"""
        name: t
        data:
          guest: customers
          label_column: y
          hosts: {'{'} telecom: subscribers {'}'}
        arbiter: arbiter
        {extra}
        """;

    private string Write(string name, string text)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
