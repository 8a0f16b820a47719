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
    public IReadOnlyCollection<string> OperatorServices => ["vfl.v1.Operator"];
    public IJobControlHandler CreateJobControl(PartyNode node) => new ArbiterJobControl(node);
    public void ConfigureServices(IServiceCollection services, PartyNode node) => services.AddSingleton(node);
    // vfl job list|show for the arbiter's operator.
    public void MapServices(WebApplication app, PartyNode node) => app.MapGrpcService<Party.Operator.PartyOperatorService>();
}
