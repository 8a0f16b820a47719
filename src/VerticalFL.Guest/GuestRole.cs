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

    public void ConfigureServices(IServiceCollection services, PartyNode node)
    {
        services.AddSingleton(new GuestJobs(node));
        // Built now so deployments served before a restart answer as soon as the party is up; disposed by the container.
        var serving = new Serving.GuestServing(node);
        services.AddSingleton(_ => serving).AddSingleton(new Serving.OnlinePredictor(serving, node.Config.Serving.DeadlineMs));
        Serving.ServingHttpEndpoint.Listen(services, node.Config);
    }

    public void MapServices(WebApplication app, PartyNode node)
    {
        app.MapGrpcService<OperatorService>();
        Serving.ServingHttpEndpoint.Map(app, node.Config, app.Services.GetRequiredService<Serving.OnlinePredictor>());
    }
}
