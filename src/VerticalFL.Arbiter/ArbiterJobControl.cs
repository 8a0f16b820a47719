using VerticalFL.Ml.Data;
using VerticalFL.Party.Hosting;
using VerticalFL.Party.Jobs;

namespace VerticalFL.Arbiter;

/// <summary>The arbiter accepts a trusted guest's training job if it is the job's arbiter and the parameters are valid.</summary>
internal sealed class ArbiterJobControl(PartyNode node) : JobControlBase(node)
{
    protected override Func<JobRun, CancellationToken, Task> Prepare(string jobId, string guest, JobSpec spec)
    {
        if (!JobKinds.NeedsArbiter(spec.Kind))
            throw new BadInputException($"a {spec.Kind} job decrypts nothing: the arbiter takes no part in it");
        if (spec.Arbiter != Node.Id)
            throw new BadInputException($"the job's arbiter is '{spec.Arbiter}', not '{Node.Id}'");
        if (spec.Kind == JobKinds.Horizontal)
        {
            HorizontalTraining.Parameters(spec);
            return new HorizontalArbiterJob(Node, jobId, guest, spec).RunAsync;
        }
        JobParameters.Training(spec);
        return new ArbiterJob(Node, jobId, guest, spec).RunAsync;
    }
}
