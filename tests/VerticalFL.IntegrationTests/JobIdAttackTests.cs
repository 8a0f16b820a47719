using Microsoft.Extensions.Logging.Abstractions;
using VerticalFL.Contracts.V1;
using VerticalFL.Host;
using VerticalFL.Ml.Data;
using VerticalFL.Party.Config;
using VerticalFL.Party.Hosting;
using VerticalFL.Party.Jobs;
using VerticalFL.Storage;
using VerticalFL.Transport.Server;
using WireRole = VerticalFL.Contracts.V1.PartyRole;
using Participant = VerticalFL.Contracts.V1.Participant;
using JobState = VerticalFL.Storage.JobState;

namespace VerticalFL.IntegrationTests;

/// <summary>
/// Finding 5 of issue 10: a guest proposes jobs whose ids (or model_job / resume_from) are paths, to a real
/// host node (its own store and work dir, its real job control). Every such proposal must be declined with
/// the reason, nothing may be stored, and no file or directory may appear anywhere but the host's store.
/// </summary>
[Trait("Category", "Attack")]
public sealed class JobIdAttackTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("vfl-jobid-").FullName;
    private PartyNode _node = null!;
    private IJobControlHandler _control = null!;

    public static TheoryData<string> HostileIds => new()
    {
        "../x", "../../escape", "/abs", "/tmp/vfl-abs-escape", "a/b", "a\\b", "..", ".", "",
        new string('a', 64), "Job-Upper", "job\n", "-leading-dash", "job.with.dots", "jöb",
    };

    [Theory]
    [MemberData(nameof(HostileIds))]
    public async Task Propose_HostileJobId_IsDeclinedAndWritesNothing(string jobId)
    {
        var before = Snapshot();
        var answer = await _control.ProposeAsync("bank", Proposal(jobId, Spec()), CancellationToken.None);

        Assert.False(answer.Accepted, $"job id {jobId} was accepted");
        Assert.Contains("not a valid job id", answer.Reason);
        Assert.Empty(await _node.Store.Jobs.ListAsync());
        Assert.Equal(before, Snapshot());
        Assert.False(File.Exists("/tmp/vfl-abs-escape") || Directory.Exists("/tmp/vfl-abs-escape"));
    }

    [Theory]
    [MemberData(nameof(HostileIds))]
    public void Workspace_HostileJobId_IsRefusedBeforeAnyPathIsMade(string jobId)
    {
        var error = Assert.Throws<BadInputException>(() => _node.Workspace(jobId));
        Assert.Contains("not a valid job id", error.Message);
    }

    [Theory]
    [InlineData("../../escape")]
    [InlineData("/abs")]
    [InlineData("a/b")]
    public async Task Propose_PredictWithHostileModelJob_IsDeclined(string modelJob)
    {
        var before = Snapshot();
        var spec = Spec();
        spec.Kind = JobKinds.Predict;
        spec.ModelJob = modelJob;
        var answer = await _control.ProposeAsync("bank", Proposal("predict-1", spec), CancellationToken.None);

        Assert.False(answer.Accepted);
        Assert.Contains("model_job", answer.Reason);
        Assert.Empty(await _node.Store.Jobs.ListAsync());
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task Propose_PredictWithAnotherGuestsModel_IsDeclinedNamingTheOwner()
    {
        await StoreSucceededTrainingAsync("their-model", initiator: "otherbank", hosts: ["telecom"]);
        var spec = Spec();
        spec.Kind = JobKinds.Predict;
        spec.ModelJob = "their-model";
        var answer = await _control.ProposeAsync("bank", Proposal("predict-2", spec), CancellationToken.None);

        Assert.False(answer.Accepted);
        Assert.Contains("started by 'otherbank'", answer.Reason);
    }

    [Fact]
    public async Task Propose_PredictWithModelOfOtherHosts_IsDeclined()
    {
        await StoreSucceededTrainingAsync("wide-model", initiator: "bank", hosts: ["telecom", "telecom2"]);
        var spec = Spec();
        spec.Kind = JobKinds.Predict;
        spec.ModelJob = "wide-model";
        var answer = await _control.ProposeAsync("bank", Proposal("predict-3", spec), CancellationToken.None);

        Assert.False(answer.Accepted);
        Assert.Contains("its hosts are [telecom, telecom2]", answer.Reason);
    }

    [Fact]
    public async Task Propose_ResumeFromUnknownJob_IsDeclined()
    {
        var spec = Spec();
        spec.ResumeFrom = "never-ran";
        var answer = await _control.ProposeAsync("bank", Proposal("resume-1", spec), CancellationToken.None);

        Assert.False(answer.Accepted);
        Assert.Contains("resume_from 'never-ran': 'telecom' has no such job", answer.Reason);
    }

    /// <summary>The control: a well-formed id is accepted and its directory is made under the work dir's jobs/.</summary>
    [Fact]
    public async Task Propose_WellFormedJobId_IsAcceptedAndStaysUnderTheWorkDir()
    {
        var answer = await _control.ProposeAsync("bank", Proposal("job-20261201-ok_1", Spec()), CancellationToken.None);
        Assert.True(answer.Accepted, answer.Reason);
        Assert.Equal(Path.Combine(_root, "work", "jobs", "job-20261201-ok_1"), _node.Workspace("job-20261201-ok_1").Directory);
    }

    [Fact]
    public void WorkPathsUnder_PathLeavingTheRoot_IsRefused()
    {
        Assert.Throws<BadInputException>(() => WorkPaths.Under(_root, "jobs", "..", ".."));
        Assert.Throws<BadInputException>(() => WorkPaths.Under(_root, "/etc"));
        Assert.Throws<BadInputException>(() => WorkPaths.Under(_root, "."));
        Assert.Equal(Path.Combine(_root, "jobs", "a"), WorkPaths.Under(_root + "/", "jobs", "a"));
    }

    public async Task InitializeAsync()
    {
        string config = Path.Combine(_root, "host.yaml");
        await File.WriteAllTextAsync(config, """
            party: { id: telecom, role: host }
            listen: { grpc: "127.0.0.1:0" }
            insecure_dev: true
            peers:
              - { id: bank, role: guest, address: "http://127.0.0.1:9" }
              - { id: arbiter, role: arbiter, address: "http://127.0.0.1:9" }
            trusted_guests: [bank]
            data: { subscribers: data/host.csv }
            work_dir: work
            receive_timeout_seconds: 5
            """);
        _node = await PartyNode.StartAsync(PartyConfig.Load(config), new HostRole(), NullLoggerFactory.Instance);
        _control = new HostRole().CreateJobControl(_node);
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private static JobSpec Spec() => new()
    {
        Data = new DataSpec { Guest = "customers", LabelColumn = "y", Hosts = new() { ["telecom"] = "subscribers" } },
        Training = new() { ["epochs"] = "1", ["batch_size"] = "-1" },
    };

    private static JobProposal Proposal(string jobId, JobSpec spec)
    {
        var proposal = new JobProposal { JobId = jobId, InitiatorPartyId = "bank", Spec = spec.ToJson(), SpecFormat = "json" };
        proposal.Participants.Add(new Participant { PartyId = "bank", Role = WireRole.Guest });
        foreach (var host in spec.HostIds)
            proposal.Participants.Add(new Participant { PartyId = host, Role = WireRole.Host });
        if (JobKinds.NeedsArbiter(spec.Kind))   // prediction decrypts nothing: no arbiter
            proposal.Participants.Add(new Participant { PartyId = "arbiter", Role = WireRole.Arbiter });
        return proposal;
    }

    private async Task StoreSucceededTrainingAsync(string jobId, string initiator, string[] hosts)
    {
        var spec = Spec();
        spec.Data.Hosts = hosts.ToDictionary(h => h, _ => "subscribers");
        var parties = new List<JobParty> { new(initiator, Storage.PartyRole.Guest), new("arbiter", Storage.PartyRole.Arbiter) };
        parties.AddRange(hosts.Select(h => new JobParty(h, Storage.PartyRole.Host)));
        var jobs = _node.Store.Jobs;
        await jobs.CreateAsync(new NewJob(jobId, Storage.PartyRole.Host, initiator, parties, spec.ToJson()));
        foreach (var (from, to) in new[] { (JobState.Pending, JobState.Psi), (JobState.Psi, JobState.Training), (JobState.Training, JobState.Evaluating), (JobState.Evaluating, JobState.Succeeded) })
            await jobs.TransitionAsync(jobId, from, to);
    }

    /// <summary>Every file and directory under the test's root except the host's own store files.</summary>
    private SortedSet<string> Snapshot() => new(
        Directory.EnumerateFileSystemEntries(_root, "*", SearchOption.AllDirectories)
            .Where(p => !Path.GetFileName(p).StartsWith("vfl.db", StringComparison.Ordinal)),
        StringComparer.Ordinal);
}
