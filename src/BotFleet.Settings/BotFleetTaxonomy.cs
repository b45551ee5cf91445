using Microsoft.Extensions.Compliance.Classification;

namespace BotFleet.Settings;

/// <summary>BotFleet's data classes, as the Microsoft compliance abstractions (redaction, classified logging) name them.</summary>
public static class BotFleetTaxonomy
{
    public const string Name = "BotFleet";

    /// <summary>Keys, passwords, connection strings: never logged, echoed or shown.</summary>
    public static DataClassification Secret { get; } = new(Name, nameof(Secret));
}
