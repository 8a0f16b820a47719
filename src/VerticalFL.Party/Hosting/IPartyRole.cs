using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using VerticalFL.Transport.Server;

namespace VerticalFL.Party.Hosting;

/// <summary>What one role (guest, host, arbiter) adds to the shared party runtime.</summary>
public interface IPartyRole
{
    /// <summary>The role name as in config files: guest, host or arbiter.</summary>
    string Name { get; }

    /// <summary>How this party answers JobControl calls from a guest.</summary>
    IJobControlHandler CreateJobControl(PartyNode node);

    /// <summary>Registers what this role's further gRPC services need.</summary>
    void ConfigureServices(IServiceCollection services, PartyNode node);

    /// <summary>Maps any further gRPC services (the guest's Operator API).</summary>
    void MapServices(WebApplication app, PartyNode node);

    /// <summary>Full names of gRPC services only this party itself may call (with its own certificate), e.g. "vfl.v1.Operator".</summary>
    IReadOnlyCollection<string> OperatorServices { get; }
}
