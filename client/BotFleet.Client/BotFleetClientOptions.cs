namespace BotFleet.Client;

/// <summary>
/// How the client reaches the BotFleet silo, bound from the "BotFleet:Client" configuration
/// section. The defaults match the embedded silo (localhost clustering).
/// </summary>
public sealed class BotFleetClientOptions
{
    public const string SectionName = "BotFleet:Client";

    public const int DefaultGatewayPort = 30000;

    public const string DefaultClusterId = "botfleet";

    public const string DefaultServiceId = "botfleet";

    public const int MaxConnectRetrySeconds = 3_600;

    /// <summary>The silo's gateway port on localhost. Default 30000; 1..65535.</summary>
    public int GatewayPort { get; set; } = DefaultGatewayPort;

    /// <summary>Orleans cluster id; must equal the silo's. Default "botfleet".</summary>
    public string ClusterId { get; set; } = DefaultClusterId;

    /// <summary>Orleans service id; must equal the silo's. Default "botfleet".</summary>
    public string ServiceId { get; set; } = DefaultServiceId;

    /// <summary>
    /// How long start-up keeps retrying (once a second) while the gateway is unreachable,
    /// before it fails with <see cref="FleetUnavailableException"/>. Default 30; 0..3600; 0 tries once.
    /// </summary>
    public int ConnectRetrySeconds { get; set; } = 30;
}
