namespace BotFleet.EndToEnd.Tests.Infrastructure;

/// <summary>One silo process of a <see cref="ProcessCluster"/> and the loopback ports it listens on.</summary>
public sealed class ClusterSilo(string name, int httpPort, int siloPort, int gatewayPort)
{
    public string Name { get; } = name;

    public Uri HttpAddress { get; } = new($"http://127.0.0.1:{httpPort}");

    public int SiloPort { get; } = siloPort;

    public int GatewayPort { get; } = gatewayPort;

    public AppProcess? Process { get; set; }

    public override string ToString() => $"{Name} (silo port {SiloPort})";
}
