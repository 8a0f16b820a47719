using Grpc.Core;
using VerticalFL.Contracts.V1;
using VerticalFL.Ml.Data;
using VerticalFL.Party.Config;
using VerticalFL.Party.Hosting;
using VerticalFL.Party.Jobs;
using VerticalFL.Storage;
using StoredRole = VerticalFL.Storage.PartyRole;
using StoredState = VerticalFL.Storage.JobState;

namespace VerticalFL.Guest;

/// <summary>
/// The guest's side of job management: checks a submitted spec against this party's config, records the
/// job, has every participant accept it, then runs it in the background with a watch on the others.
/// </summary>
public sealed class GuestJobs(PartyNode node)
{
    internal PartyNode Node => node;

    /// <summary>Validates and starts a job; returns its id. Bad specs are refused before anything is stored.</summary>
    public Task<string> SubmitAsync(string specYaml, string source, CancellationToken ct) =>
        SubmitAsync(JobSpecCheck.ParseYaml(specYaml, source), specYaml, ct);

    /// <param name="specText">The spec as the operator wrote it, kept with the job.</param>
    public async Task<string> SubmitAsync(JobSpec spec, string specText, CancellationToken ct)
    {
        spec = spec.ForGuest(node.Id);
        string dataPath = CheckAgainstConfig(spec);
        await JobReferences.CheckAsync(node.Store.Jobs, node.Id, node.Id, spec, ct);
        string jobId = NewJobId();
        var participants = Participants(spec);
        await node.Store.Jobs.CreateAsync(new NewJob(jobId, StoredRole.Guest, node.Id, participants, specText) { Kind = spec.Kind }, ct);
        var opening = new JobOpening(node, jobId, Proposal(jobId, spec, participants), participants);
        IReadOnlyList<string> awaitingApproval;
        try
        {
            awaitingApproval = await opening.OpenAsync(ct);
        }
        catch (Exception e)
        {
            string reason = JobFailure.Describe(e);
            await node.Store.Jobs.FailAsync(jobId, reason, CancellationToken.None);
            await new JobCancellation(node).NotifyAsync(jobId, participants, StoredState.Failed, node.SharedReasons.FailedAtGuest(jobId, reason));
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"job {jobId} failed: {reason}"));
        }
        Func<JobRun, CancellationToken, Task> work = spec.Kind switch
        {
            JobKinds.Predict => new GuestPredictionJob(node, jobId, spec, dataPath).RunAsync,
            JobKinds.Psi => new GuestPsiJob(node, jobId, spec, dataPath).RunAsync,
            JobKinds.Horizontal => new GuestHorizontalJob(node, jobId, spec, dataPath).RunAsync,
            _ => new GuestTrainingJob(node, jobId, spec, dataPath).RunAsync,
        };
        // A horizontal job goes on without a data party that fails or goes away (the arbiter leaves it out of the rounds):
        // only the arbiter is essential.
        var watchdog = new ParticipantWatchdog(node, jobId, participants,
            essential: spec.Kind == JobKinds.Horizontal ? p => p.Role == StoredRole.Arbiter : null);
        var watched = watchdog.Watch(work);
        node.Jobs.Start(jobId, watchdog.EndEverywhere(awaitingApproval.Count == 0 ? watched : opening.AfterApproval(awaitingApproval, watched)));
        return jobId;
    }

    /// <summary>Checks what only the guest can: its data source, the peers named and the parameters.</summary>
    private string CheckAgainstConfig(JobSpec spec)
    {
        string dataPath = node.Config.DataPath(spec.Data.Guest);
        foreach (var host in spec.HostIds)
            RequirePeer(host, Roles.Host);
        if (JobKinds.NeedsArbiter(spec.Kind))
            RequirePeer(spec.Arbiter, Roles.Arbiter);
        if (spec.Kind == JobKinds.Train)
            JobParameters.Training(spec);
        if (spec.Kind == JobKinds.Horizontal)
            HorizontalTraining.Parameters(spec);
        return dataPath;
    }

    private void RequirePeer(string id, string role)
    {
        var peer = node.Config.Peer(id);
        if (peer.Role != role)
            throw new BadInputException($"'{id}' is configured as a {peer.Role}, but the job uses it as a {role}.");
    }

    private List<JobParty> Participants(JobSpec spec) =>
    [
        new(node.Id, StoredRole.Guest),
        .. spec.HostIds.Select(h => new JobParty(h, StoredRole.Host)),
        // Only training decrypts: PSI and prediction jobs do not involve the arbiter at all.
        .. JobKinds.NeedsArbiter(spec.Kind) ? new[] { new JobParty(spec.Arbiter, StoredRole.Arbiter) } : [],
    ];

    private JobProposal Proposal(string jobId, JobSpec spec, IReadOnlyList<JobParty> participants)
    {
        var proposal = new JobProposal { JobId = jobId, InitiatorPartyId = node.Id, Spec = spec.ToJson(), SpecFormat = "json" };
        proposal.Participants.AddRange(participants.Select(p => JobProposals.WireParticipant(p.PartyId, p.Role)));
        return proposal;
    }

    private static string NewJobId() => $"job-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
}
