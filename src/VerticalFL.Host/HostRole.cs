using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using VerticalFL.Party.Config;
using VerticalFL.Party.Hosting;
using VerticalFL.Transport.Server;

namespace VerticalFL.Host;

/// <summary>The host service: accepts jobs from trusted guests and runs its side of PSI, training and prediction.</summary>
public sealed class HostRole : IPartyRole
{
    public string Name => Roles.Host;
    public IReadOnlyCollection<string> OperatorServices => [];
    public IJobControlHandler CreateJobControl(PartyNode node) => new HostJobControl(node);
    public void ConfigureServices(IServiceCollection services, PartyNode node) { }
    public void MapServices(WebApplication app, PartyNode node) { }
}
