using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;

namespace BotFleet.Client.Hosting;

public static class BotFleetClientHostApplicationBuilderExtensions
{
    /// <summary>
    /// Adds an Orleans client that connects to the BotFleet silo on localhost (static gateway
    /// list, the silo's cluster and service ids) and registers <see cref="FleetClient"/> as
    /// itself and as <see cref="IFleetClient"/>. Options come from the "BotFleet:Client"
    /// section and are validated when the host starts, before the client connects.
    /// </summary>
    public static IHostApplicationBuilder AddBotFleetClient(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        var services = builder.Services;
        services.AddOptions<BotFleetClientOptions>()
            .Bind(builder.Configuration.GetSection(BotFleetClientOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BotFleetClientOptions>, BotFleetClientOptionsValidator>());

        // Orleans' settings are derived from ours through DI (not read once here), so a later
        // configuration source or a Configure<BotFleetClientOptions> still takes effect.
        services.AddOptions<ClusterOptions>()
            .Configure<IOptions<BotFleetClientOptions>>((cluster, fleet) =>
            {
                cluster.ClusterId = fleet.Value.ClusterId;
                cluster.ServiceId = fleet.Value.ServiceId;
            });

        services.TryAddSingleton(TimeProvider.System);
        builder.UseOrleansClient(client => client
            .UseStaticClustering(gateways => gateways
                .Configure<IOptions<BotFleetClientOptions>>((list, fleet) =>
                    list.Gateways = [new IPEndPoint(IPAddress.Loopback, fleet.Value.GatewayPort).ToGatewayUri()]))
            .UseConnectionRetryFilter<ConnectRetryFilter>());

        services.TryAddSingleton<FleetClient>();
        services.TryAddSingleton<IFleetClient>(sp => sp.GetRequiredService<FleetClient>());
        return builder;
    }
}
