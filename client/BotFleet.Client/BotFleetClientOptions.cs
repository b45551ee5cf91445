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

    /// <summary>The longest <see cref="ConnectRetry"/>.</summary>
    public static readonly TimeSpan MaxConnectRetry = TimeSpan.FromHours(1);

    /// <summary>The longest <see cref="ConnectRetrySeconds"/>.</summary>
    [Obsolete("Use MaxConnectRetry.")]
    public const int MaxConnectRetrySeconds = 3_600;

    /// <summary>The silo's gateway port on localhost. Default 30000; 1..65535.</summary>
    public int GatewayPort { get; set; } = DefaultGatewayPort;

    /// <summary>Orleans cluster id; must equal the silo's. Default "botfleet".</summary>
    public string ClusterId { get; set; } = DefaultClusterId;

    /// <summary>Orleans service id; must equal the silo's. Default "botfleet".</summary>
    public string ServiceId { get; set; } = DefaultServiceId;

    /// <summary>
    /// How long start-up keeps retrying (once a second) while the gateway is unreachable,
    /// before it fails with <see cref="FleetUnavailableException"/>. Default 30 s; 0..1 h; zero tries once.
    /// </summary>
    public TimeSpan ConnectRetry { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The earlier spelling of <see cref="ConnectRetry"/>, in whole seconds: it reads and sets it, so code and the
    /// configuration key written for earlier versions keep working (declared after it, so the key wins when both are set).
    /// </summary>
    [Obsolete("Use ConnectRetry (a TimeSpan). ConnectRetrySeconds reads and sets it, and will be removed.")]
    public int ConnectRetrySeconds
    {
        get => (int)ConnectRetry.TotalSeconds;
        set => ConnectRetry = TimeSpan.FromSeconds(value);
    }
}
