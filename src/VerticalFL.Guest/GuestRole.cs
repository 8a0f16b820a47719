using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using VerticalFL.Party.Config;
using VerticalFL.Party.Hosting;
using VerticalFL.Transport.Server;

namespace VerticalFL.Guest;

/// <summary>The guest service: takes jobs from its operator and drives them across hosts and the arbiter.</summary>
public sealed class GuestRole : IPartyRole
{
    public string Name => Roles.Guest;
    public IReadOnlyCollection<string> OperatorServices => ["vfl.v1.Operator"];
    public IJobControlHandler CreateJobControl(PartyNode node) => new GuestJobControl(node);

    public void ConfigureServices(IServiceCollection services, PartyNode node) => services.AddSingleton(new GuestJobs(node));
    public void MapServices(WebApplication app, PartyNode node) => app.MapGrpcService<OperatorService>();
}
