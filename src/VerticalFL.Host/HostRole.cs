using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using VerticalFL.Party.Config;
using VerticalFL.Party.Hosting;
using VerticalFL.Transport.Server;

namespace VerticalFL.Host;

/// <summary>
/// The host service: accepts jobs from trusted guests within its policy, runs its side of PSI, training and
/// prediction, and serves its own operator's approve/decline and job list/show.
/// </summary>
public sealed class HostRole : IPartyRole
{
    private readonly HostApprovals _approvals = new();

    public string Name => Roles.Host;
    public IReadOnlyCollection<string> OperatorServices => ["vfl.v1.HostOperator", "vfl.v1.Operator"];
    public IJobControlHandler CreateJobControl(PartyNode node) => new HostJobControl(node, _approvals);
    public void ConfigureServices(IServiceCollection services, PartyNode node)
    {
        services.AddSingleton(node).AddSingleton(_approvals);
        // Built now, so the versions this host served before a restart are loaded before it reports SERVING;
        // registered through a factory so the container disposes it (audit flushed) when the party stops.
        var serving = new Serving.HostServing(node, TimeProvider.System);
        services.AddSingleton(_ => serving);
    }
    public void MapServices(WebApplication app, PartyNode node)
    {
        app.MapGrpcService<HostOperatorService>();
        app.MapGrpcService<Serving.ServingService>();
        app.MapGrpcService<Party.Operator.PartyOperatorService>();   // vfl job list|show for the host's operator
    }
}
