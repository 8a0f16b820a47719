using VerticalFL.Contracts.V1;
using VerticalFL.Protocol.Channels;

namespace VerticalFL.Protocol.Horizontal.Privacy;

/// <summary>
/// Client-level DP-FedAvg (McMahan, Ramage, Talwar, Zhang, "Learning Differentially Private Recurrent Language Models",
/// ICLR 2018): each client clips its whole update Δ_i to the clipping norm C (on the lattice) and sends it with weight 1;
/// the arbiter adds noise of σ = z·C (or Laplace) to the sum and divides by the number of clients, so one client's entire
/// data moves the released model by a bounded, noised amount. Without secure aggregation the arbiter sees the clipped
/// updates and adds the noise itself: it is trusted for this level (docs/security.md). Also the arbiter's up-front
/// privacy check for both levels.
/// </summary>
public static class ClientLevelDp
{
    /// <summary>The client's contribution: client level — the lattice-clipped Δ with weight 1; otherwise the aggregation rule's.</summary>
    public static ClientContribution Contribution(HorizontalParameters parameters, ReadOnlySpan<double> delta, long rows, int localSteps)
    {
        if (parameters.Privacy is not { Level: PrivacyLevel.Client } settings)
            return ClientContribution.Of(parameters.Aggregation.Method, delta, rows, localSteps);
        var clipper = new LatticeMechanism(settings, noiseMultiplier: 1, stepEpsilon: 1);
        var clipped = clipper.Clip(delta);
        return new ClientContribution(clipped.Select(x => (double)x).ToArray(), 1, localSteps);
    }

    /// <summary>Arbiter: the lattice sum plus integer noise, back in real units (the weight stays the number of clients).</summary>
    public static ContributionSum Noised(ContributionSum sum, LatticeMechanism noise)
    {
        var lattice = sum.Vector.Select(x => (long)Math.Round(x)).ToArray();
        noise.AddNoise(lattice);
        return sum with { Vector = lattice.Select(x => x * noise.Granularity).ToArray() };
    }

    /// <summary>
    /// The job's privacy plan from the agreed row counts, or — when ε cannot be met — every client is told why at step 1 and
    /// the job is refused before any training. Null when the job has no privacy settings.
    /// </summary>
    public static async Task<PrivacyPlan?> PlanOrRefuseAsync(IPartyChannel channel, IReadOnlyList<string> clients, HorizontalParameters parameters,
        AgreedSchema schema, CancellationToken ct)
    {
        if (parameters.Privacy is null)
            return null;
        try
        {
            return PrivacyPlan.For(parameters, schema.ClientRows);
        }
        catch (PrivacyBudgetException e)
        {
            await channel.BroadcastAsync(clients, new GlobalModel { Round = 1, AbortReason = e.Message }, Step.Of(1), ct);
            throw new HorizontalJobException(e.Message);
        }
    }
}
