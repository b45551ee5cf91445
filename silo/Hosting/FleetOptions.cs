namespace BotFleet.Silo.Hosting;

/// <summary>The bots this silo starts, by bot key (configuration section "BotFleet:Bots").</summary>
public sealed class FleetOptions
{
    public const string SectionName = "BotFleet:Bots";

    public Dictionary<string, BotOptions> Bots { get; set; } = new(StringComparer.Ordinal);
}
