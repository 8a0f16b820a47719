using VerticalFL.Ml.Data;
using VerticalFL.Storage;

namespace VerticalFL.Party.Jobs;

/// <summary>
/// Checks the earlier jobs a spec names (<c>model_job</c>, <c>resume_from</c>) against this party's own
/// store, so a guest cannot point a party at another guest's model or at a job with other parties:
/// the earlier job must be a training job of the same guest, with the same hosts and arbiter.
/// <c>model_job</c> must have succeeded; <c>resume_from</c> must have ended without succeeding
/// (failed or cancelled), since only such a job has a checkpoint to continue from.
/// </summary>
public static class JobReferences
{
    /// <exception cref="BadInputException">A named job is malformed, unknown here, or does not fit; the message says why.</exception>
    public static async Task CheckAsync(IJobStore jobs, string self, string guest, JobSpec spec, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(spec.ModelJob))
        {
            var trained = await RequireFittingAsync(jobs, self, guest, spec, "model_job", spec.ModelJob, ct);
            if (trained.State != JobState.Succeeded)
                throw new BadInputException($"model_job '{trained.Id}': the job {Describe(trained.State)} at '{self}'; only a succeeded training job has a model.");
        }
        if (!string.IsNullOrEmpty(spec.ResumeFrom))
        {
            var earlier = await RequireFittingAsync(jobs, self, guest, spec, "resume_from", spec.ResumeFrom, ct);
            if (earlier.State is not (JobState.Failed or JobState.Cancelled))
                throw new BadInputException($"resume_from '{earlier.Id}': the job {Describe(earlier.State)} at '{self}'; only a failed or cancelled training job can be resumed.");
        }
    }

    private static async Task<JobRecord> RequireFittingAsync(IJobStore jobs, string self, string guest, JobSpec spec,
        string field, string jobId, CancellationToken ct)
    {
        JobIds.Require(jobId, field);
        var earlier = await jobs.GetAsync(jobId, ct)
            ?? throw new BadInputException($"{field} '{jobId}': '{self}' has no such job.");
        string? problem = Mismatch(earlier, guest, spec);
        return problem is null ? earlier : throw new BadInputException($"{field} '{jobId}': {problem}.");
    }

    /// <summary>Why the earlier job cannot serve this spec, or null when it can.</summary>
    private static string? Mismatch(JobRecord earlier, string guest, JobSpec spec)
    {
        if (earlier.Initiator != guest)
            return $"it was started by '{earlier.Initiator}', not by '{guest}'";
        string trains = spec.Kind == JobKinds.Horizontal ? JobKinds.Horizontal : JobKinds.Train;
        if (KindOf(earlier) != trains)
            return trains == JobKinds.Horizontal ? "it is not a horizontal job" : "it is not a training job";
        var hosts = earlier.Participants.Where(p => p.Role == PartyRole.Host).Select(p => p.PartyId).Order(StringComparer.Ordinal).ToList();
        var wanted = spec.HostIds.Order(StringComparer.Ordinal).ToList();
        if (!hosts.SequenceEqual(wanted))
            return $"its hosts are [{string.Join(", ", hosts)}], this job's are [{string.Join(", ", wanted)}]";
        string? arbiter = earlier.Participants.FirstOrDefault(p => p.Role == PartyRole.Arbiter)?.PartyId;
        // A prediction job has no arbiter (nothing is decrypted): only a resumed training job must keep the same one.
        return !JobKinds.NeedsArbiter(spec.Kind) || arbiter == spec.Arbiter ? null : $"its arbiter is '{arbiter}', this job's is '{spec.Arbiter}'";
    }

    /// <summary>The stored spec's kind: the guest keeps the operator's YAML (or JSON it wrote itself), the others the proposal's JSON.</summary>
    private static string? KindOf(JobRecord job)
    {
        try
        {
            return job.Spec.TrimStart().StartsWith('{')
                ? JobSpec.FromJson(job.Spec, $"job {job.Id}").Kind
                : JobSpec.ParseYaml(job.Spec, $"job {job.Id}").Kind;
        }
        catch (BadInputException)
        {
            return null;
        }
    }

    private static string Describe(JobState state) => state switch
    {
        JobState.Succeeded => "succeeded",
        JobState.Failed => "failed",
        JobState.Cancelled => "was cancelled",
        _ => $"is still {state.Name()}",
    };
}
