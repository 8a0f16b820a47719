using Grpc.Core;
using VerticalFL.Cli.Local;
using VerticalFL.Cli.Operator;
using VerticalFL.Contracts.V1;
using VerticalFL.Party.Config;
using VerticalFL.Transport.Client;

namespace VerticalFL.IntegrationTests;

/// <summary>
/// A host's <c>policy:</c> (issue 10, finding 2 and the host part of 7) against real party processes: the
/// guest set ratio, the daily job quota, proposals that misstate the participants or the arbiter, and the
/// host operator's approve/decline. Every refusal reaches the guest's operator with the rule named.
/// </summary>
public sealed class HostPolicyTests
{
    private const string Host = "telecom";
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    private static string PsiJob => """
        name: psi-only
        kind: psi
        psi: { id_column: id }
        data:
          guest: customers
          hosts: { telecom: subscribers }
        """;

    [Fact]
    [Trait("Category", "Attack")]
    public async Task Guest_OversizedSetThenOverDailyQuota_IsRefusedEachTimeWithThePolicyNamed()
    {
        using var federation = await RunningFederation.StartAsync(rows: 200, beforeStart: f => AddPolicy(f,
            "  max_guest_set_ratio: 0.5\n  max_psi_jobs_per_guest_per_day: 1\n"));

        // 1. The guest's whole file against the host's: more than 0.5 × the host's set.
        string first = await federation.SubmitAsync(PsiJob);
        var report = await federation.WaitAsync(first);
        Assert.Equal("failed", report.Summary.State);
        Assert.Matches(@"^telecom refused the job: guest set \d+ ids exceeds policy\.max_guest_set_ratio 0\.5 × \d+$", report.Summary.Reason);

        // 2. That job counted: a second within 24 hours is over the quota, refused at the proposal.
        var error = await Assert.ThrowsAsync<RpcException>(() => federation.SubmitAsync(PsiJob));
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("telecom refused the job: guest 'bank' has started 1 jobs (each runs PSI) in the last 24 hours, "
            + "the limit of policy.max_psi_jobs_per_guest_per_day 1", error.Status.Detail);
        var listed = await federation.Operator.Operator.ListAsync(new ListJobsRequest { State = "failed" });
        Assert.Contains(listed.Jobs, j => j.JobId != first && j.Reason.Contains("policy.max_psi_jobs_per_guest_per_day"));
    }

    [Fact]
    [Trait("Category", "Attack")]
    public async Task ForgedProposal_WrongParticipantsOrAnArbiterTheHostDoesNotKnow_IsRefusedNamingTheProblem()
    {
        using var federation = await RunningFederation.StartAsync(rows: 60);
        using var guest = GuestClient(federation);
        string spec = Party.Jobs.JobSpec.ParseYaml(RunningFederation.JobYaml("  epochs: 1"), "test").ToJson();

        // An extra party slipped into the participants (e.g. to have the host accept mailbox traffic from it).
        var extra = Proposal("it-forged-1", spec, ("bank", PartyRole.Guest), (Host, PartyRole.Host), ("arbiter", PartyRole.Arbiter), ("mallory", PartyRole.Host));
        var answer = await guest.JobControl(Host).ProposeAsync(extra, deadline: DateTime.UtcNow + Bound);
        Assert.False(answer.Accepted);
        Assert.Equal("the proposal's participants [arbiter as arbiter, bank as guest, mallory as host, telecom as host] are not the spec's "
            + "[arbiter as arbiter, bank as guest, telecom as host]", answer.Reason);

        // The spec names as arbiter a party the host knows only as the guest: it would decrypt the host's gradients.
        string guestAsArbiter = spec.Replace("\"arbiter\":\"arbiter\"", "\"arbiter\":\"bank\"");
        Assert.NotEqual(spec, guestAsArbiter);
        var misrole = Proposal("it-forged-2", guestAsArbiter, ("bank", PartyRole.Guest), (Host, PartyRole.Host), ("bank", PartyRole.Arbiter));
        answer = await guest.JobControl(Host).ProposeAsync(misrole, deadline: DateTime.UtcNow + Bound);
        Assert.False(answer.Accepted);
        Assert.Equal("the job's arbiter 'bank' is configured at telecom as a guest, not an arbiter", answer.Reason);

        var unknown = Proposal("it-forged-3", spec.Replace("\"arbiter\":\"arbiter\"", "\"arbiter\":\"eve\""),
            ("bank", PartyRole.Guest), (Host, PartyRole.Host), ("eve", PartyRole.Arbiter));
        answer = await guest.JobControl(Host).ProposeAsync(unknown, deadline: DateTime.UtcNow + Bound);
        Assert.False(answer.Accepted);
        Assert.Equal("the job's arbiter 'eve' is not among telecom's peers", answer.Reason);
    }

    [Fact]
    public async Task RequireApproval_GuestSeesTheWait_DeclineReachesItsOperator_ApproveLetsTheJobRun()
    {
        using var federation = await RunningFederation.StartAsync(rows: 80, beforeStart: f => AddPolicy(f,
            "  require_approval: true\n  approval_timeout_seconds: 120\n"));
        using var hostOperator = OperatorConnection.Open(federation.Federation.ConfigPath(Host), Bound);

        string declined = await federation.SubmitAsync(PsiJob);
        var pending = await federation.Operator.Operator.GetAsync(new JobRef { JobId = declined });
        Assert.Equal("pending", pending.Summary.State);
        Assert.Equal("awaiting approval by telecom's operator (host policy.require_approval)", pending.Summary.Reason);
        var decision = await hostOperator.HostOperator.DeclineAsync(new JobDecision { JobId = declined, Reason = "not this week" });
        Assert.Equal("declined by telecom's operator", decision.Message);
        var report = await federation.WaitAsync(declined);
        Assert.Equal(("failed", "telecom refused the job: declined by telecom's operator: not this week"), (report.Summary.State, report.Summary.Reason));

        string approved = await federation.SubmitAsync(PsiJob);
        await hostOperator.HostOperator.ApproveAsync(new JobDecision { JobId = approved });
        Assert.Equal("succeeded", (await federation.WaitAsync(approved)).Summary.State);

        // Deciding again, or on a job that never waited, is refused with the job's state.
        var again = await Assert.ThrowsAsync<RpcException>(() => hostOperator.HostOperator.ApproveAsync(new JobDecision { JobId = approved }).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);
        Assert.Contains("is not awaiting approval", again.Status.Detail);
        // The guest's own certificate cannot use the host's operator API.
        using var guest = GuestClient(federation);
        var denied = await Assert.ThrowsAsync<RpcException>(() =>
            new HostOperator.HostOperatorClient(guest.Invoker(Host)).ApproveAsync(new JobDecision { JobId = approved }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
    }

    private static void AddPolicy(LocalFederation federation, string keys) =>
        File.AppendAllText(federation.ConfigPath(Host), "policy:\n" + keys);

    /// <summary>A client presenting the guest's own certificate, as a guest that deviates from the protocol would.</summary>
    private static FederationClient GuestClient(RunningFederation federation)
    {
        var guest = PartyConfig.Load(federation.Federation.GuestConfig);
        return new FederationClient(new FederationClientOptions
        {
            PartyId = guest.Party.Id,
            Peers = guest.Peers.ToDictionary(p => p.Id, p => new Uri(p.Address)),
            CertificatePath = guest.Tls?.Certificate,
            KeyPath = guest.Tls?.Key,
            CaPath = guest.Tls?.Ca,
        });
    }

    private static JobProposal Proposal(string jobId, string spec, params (string Id, PartyRole Role)[] participants)
    {
        var proposal = new JobProposal { JobId = jobId, InitiatorPartyId = "bank", Spec = spec, SpecFormat = "json" };
        proposal.Participants.AddRange(participants.Select(p => new Participant { PartyId = p.Id, Role = p.Role }));
        return proposal;
    }
}
