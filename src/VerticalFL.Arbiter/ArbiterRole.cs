using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using VerticalFL.Party.Config;
using VerticalFL.Party.Hosting;
using VerticalFL.Transport.Server;

namespace VerticalFL.Arbiter;

/// <summary>The arbiter service: holds the job's Paillier private key and decrypts only masked values and the loss.</summary>
public sealed class ArbiterRole : IPartyRole
{
    public string Name => Roles.Arbiter;
    public IReadOnlyCollection<string> OperatorServices => [];
    public IJobControlHandler CreateJobControl(PartyNode node) => new ArbiterJobControl(node);
    public void ConfigureServices(IServiceCollection services, PartyNode node) { }
    public void MapServices(WebApplication app, PartyNode node) { }
}
