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
    public void ConfigureServices(IServiceCollection services, PartyNode node) => services.AddSingleton(node).AddSingleton(_approvals);
    public void MapServices(WebApplication app, PartyNode node)
    {
        app.MapGrpcService<HostOperatorService>();
        app.MapGrpcService<Party.Operator.PartyOperatorService>();   // vfl job list|show for the host's operator
    }
}
